# The export module's generated sources: src/export/tflite_schema.fbs compiled by flatc into the
# build tree (never committed), included as "tflite_schema_generated.h".
set(PHYSIOLITE_EXPORT_GEN_DIR ${PROJECT_BINARY_DIR}/generated/export)
add_custom_command(
  OUTPUT ${PHYSIOLITE_EXPORT_GEN_DIR}/tflite_schema_generated.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PHYSIOLITE_EXPORT_GEN_DIR}
  COMMAND flatbuffers::flatc --cpp -o ${PHYSIOLITE_EXPORT_GEN_DIR}
          ${PROJECT_SOURCE_DIR}/src/export/tflite_schema.fbs
  DEPENDS ${PROJECT_SOURCE_DIR}/src/export/tflite_schema.fbs flatbuffers::flatc
  COMMENT "flatc: TFLite schema subset"
  VERBATIM)
add_custom_target(physiolite_export_schemas
                  DEPENDS ${PHYSIOLITE_EXPORT_GEN_DIR}/tflite_schema_generated.h)
add_dependencies(physiolite_export physiolite_export_schemas)
# flatc's generated code trips -Wshadow; it is included as a system header.
target_include_directories(physiolite_export SYSTEM PRIVATE ${PHYSIOLITE_EXPORT_GEN_DIR})
# libonnx-dev's headers need these (Debian builds ONNX with ONNX_ML and the onnx namespace).
target_compile_definitions(physiolite_export PRIVATE ONNX_NAMESPACE=onnx ONNX_ML=1)
