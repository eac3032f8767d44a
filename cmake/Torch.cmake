# LibTorch-based modules. Only included when PHYSIOLITE_WITH_TORCH is ON.
find_package(Torch REQUIRED)
# Torch's config puts its headers on -I; as -isystem its warnings stay out of -Wall -Wextra.
set_property(TARGET torch PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES
             $<TARGET_PROPERTY:torch,INTERFACE_INCLUDE_DIRECTORIES>)
foreach(lib torch_cpu c10)
  if(TARGET ${lib})
    set_property(TARGET ${lib} PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES
                 $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
  endif()
endforeach()

if(EXISTS ${PROJECT_SOURCE_DIR}/src/model)
  physiolite_module(model DEPS physiolite_data physiolite_arch ${TORCH_LIBRARIES})
  # torch/torch.h is most of a LibTorch translation unit's compile time: parse it once, here, and
  # let every LibTorch target reuse this one precompiled header. Each header of its own is
  # ~600 MB of build folder: seven of them filled CI's disk.
  target_precompile_headers(physiolite_model PRIVATE <torch/torch.h>)
  list(APPEND PHYSIOLITE_APP_LIBS physiolite_model)
endif()
# Data-parallel training: c10d's ProcessGroupGloo (headers from libgloo-dev), env, launcher.
if(EXISTS ${PROJECT_SOURCE_DIR}/src/dist)
  physiolite_module(dist DEPS physiolite_core ${TORCH_LIBRARIES})
  target_precompile_headers(physiolite_dist REUSE_FROM physiolite_model)
endif()
if(EXISTS ${PROJECT_SOURCE_DIR}/src/train)
  physiolite_module(train DEPS physiolite_model physiolite_eval physiolite_dist)
  target_precompile_headers(physiolite_train REUSE_FROM physiolite_model)
  list(APPEND PHYSIOLITE_APP_LIBS physiolite_train)
endif()
if(EXISTS ${PROJECT_SOURCE_DIR}/src/quant)
  physiolite_module(quant DEPS physiolite_train physiolite_qgraph)
  target_precompile_headers(physiolite_quant REUSE_FROM physiolite_model)
  list(APPEND PHYSIOLITE_APP_LIBS physiolite_quant)
endif()
