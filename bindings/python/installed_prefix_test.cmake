# CTest script: installs the build tree into a fresh prefix (as `cmake --install` users do) and
# runs a session from the installed package alone: PYTHONPATH = the prefix's site-packages,
# no LD_LIBRARY_PATH, from a directory outside the source and build trees. _native.so must
# find libpenlink.so.1 through its RPATH.
# Variables: BUILD_DIR PREFIX PACKAGE_DIR (relative to PREFIX) PYTHON
foreach(variable BUILD_DIR PREFIX PACKAGE_DIR PYTHON)
    if(NOT ${variable})
        message(FATAL_ERROR "installed_prefix_test.cmake needs -D${variable}=...")
    endif()
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/../../cmake/install_scratch.cmake")
penlink_install_into_scratch("${BUILD_DIR}" "${PREFIX}" "")
get_filename_component(site_packages "${PREFIX}/${PACKAGE_DIR}" DIRECTORY)
if(NOT EXISTS "${PREFIX}/${PACKAGE_DIR}/__init__.py")
    message(FATAL_ERROR "no penlink package installed at ${PREFIX}/${PACKAGE_DIR}")
endif()
set(script [=[
import penlink, sys
with penlink.connect("sim://") as pen:
    pen.set_depth(mm=1.0)
    status = next(iter(pen.status(rate_hz=100)))
    print("installed penlink", penlink.__version__, "from", penlink.__file__, status.state.name)
]=])
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH "PYTHONPATH=${site_packages}"
            "${PYTHON}" -I -c "import sys; sys.path.insert(0, '${site_packages}'); exec(sys.argv[1])"
            "${script}"
    WORKING_DIRECTORY "${PREFIX}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 60)
message(STATUS "${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "import penlink from ${site_packages} failed (${result})")
endif()
if(NOT output MATCHES "installed penlink [0-9.]+ from ${site_packages}/penlink/")
    message(FATAL_ERROR "the session did not run from the installed package")
endif()
