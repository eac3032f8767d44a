# `cmake --install`: the physiolite command (bin/) and lib/cmake/PhysioLite/ for
# find_package(PhysioLite): the imported executable PhysioLite::physiolite, and the C runtime's
# package (find_package(plrt): plrt::plrt, plrt::plrt_c_array) found with it. The runtime's own
# install rules are in runtime/CMakeLists.txt. tests/package/ builds an outside project against
# the installed files.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
install(TARGETS physiolite EXPORT PhysioLiteTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT PhysioLiteTargets NAMESPACE PhysioLite::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/PhysioLite)
file(WRITE ${PROJECT_BINARY_DIR}/PhysioLiteConfig.cmake [=[
include(CMakeFindDependencyMacro)
find_dependency(plrt CONFIG HINTS "${CMAKE_CURRENT_LIST_DIR}/../plrt")
include("${CMAKE_CURRENT_LIST_DIR}/PhysioLiteTargets.cmake")
]=])
write_basic_package_version_file(${PROJECT_BINARY_DIR}/PhysioLiteConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/PhysioLiteConfig.cmake
              ${PROJECT_BINARY_DIR}/PhysioLiteConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/PhysioLite)
