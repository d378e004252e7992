# CTest script: installs only the "csharp" component into a fresh prefix, then compiles
# examples/csharp/Quickstart.cs against the installed Penlink.dll and runs it against sim://
# twice, the two ways an application finds the assembly:
#   1. MONO_PATH names the installed directory (the application stays where it was built);
#   2. the directory's files are copied beside the application, referenced with -pkg:.
# Both pass only if mono finds the native libraries beside Penlink.dll, nowhere else.
# Then it compiles InstalledModuleCheck.cs the same way and runs it: a partner module written at
# run time, hosted by penlink-sim (SIM), driven through the installed assembly.
# Variables: BUILD_DIR PREFIX ASSEMBLY_DIR PKGCONFIG_DIR (both relative to PREFIX) MCS MONO SIM
#            PKG_CONFIG EXAMPLE
foreach(variable BUILD_DIR PREFIX ASSEMBLY_DIR PKGCONFIG_DIR MCS MONO PKG_CONFIG EXAMPLE SIM)
    if(NOT ${variable})
        message(FATAL_ERROR "installed_assembly_test.cmake needs -D${variable}=...")
    endif()
endforeach()

include("${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_scratch.cmake")
penlink_install_into_scratch("${BUILD_DIR}" "${PREFIX}" "csharp")
set(assembly_dir "${PREFIX}/${ASSEMBLY_DIR}")
foreach(file Penlink.dll libpenlink_csharp.so libpenlink.so.1)
    if(NOT EXISTS "${assembly_dir}/${file}")
        message(FATAL_ERROR "the csharp component did not install ${ASSEMBLY_DIR}/${file}")
    endif()
endforeach()

# Runs Quickstart.exe in its own directory with a clean library search path, so nothing from
# the build tree can stand in for the installed files.
function(run_quickstart label exe)
    get_filename_component(directory "${exe}" DIRECTORY)
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH ${ARGN}
                "${MONO}" --debug "${exe}" sim://
        WORKING_DIRECTORY "${directory}"
        RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 90)
    message(STATUS "${label}:\n${output}")
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "Quickstart (${label}) failed: ${result}")
    endif()
    if(NOT output MATCHES "connected to .*running: .*quickstart done")
        message(FATAL_ERROR "Quickstart (${label}) did not connect, run and finish")
    endif()
endfunction()

# 1. Referenced in place, found at run time through MONO_PATH.
set(app "${PREFIX}/app-mono-path")
file(MAKE_DIRECTORY "${app}")
execute_process(
    COMMAND "${MCS}" -nologo -warnaserror "-r:${assembly_dir}/Penlink.dll" "-out:${app}/Quickstart.exe"
            "${EXAMPLE}"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "mcs ${EXAMPLE} against the installed Penlink.dll failed: ${result}")
endif()
run_quickstart("MONO_PATH=${ASSEMBLY_DIR}" "${app}/Quickstart.exe" "MONO_PATH=${assembly_dir}")

# 2. Referenced through the installed penlink-sharp.pc, deployed by copying the directory.
set(app "${PREFIX}/app-copy-local")
file(MAKE_DIRECTORY "${app}")
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${PREFIX}/${PKGCONFIG_DIR}" "PKG_CONFIG=${PKG_CONFIG}"
            "${MCS}" -nologo -warnaserror -pkg:penlink-sharp "-out:${app}/Quickstart.exe" "${EXAMPLE}"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "mcs -pkg:penlink-sharp ${EXAMPLE} against the installed package failed: ${result}")
endif()
file(GLOB deployed "${assembly_dir}/*")
file(COPY ${deployed} DESTINATION "${app}")
run_quickstart("copied beside the application" "${app}/Quickstart.exe" --unset=MONO_PATH)

# 3. A partner module written at run time, driven through the installed assembly alone
#    (InstalledModuleCheck.cs; penlink-sim hosts the module: PENLINK_SIM).
set(app "${PREFIX}/app-partner-module")
file(MAKE_DIRECTORY "${app}")
execute_process(
    COMMAND "${MCS}" -nologo -warnaserror "-r:${assembly_dir}/Penlink.dll"
            "-out:${app}/InstalledModuleCheck.exe" "${CMAKE_CURRENT_LIST_DIR}/InstalledModuleCheck.cs"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "mcs InstalledModuleCheck.cs against the installed Penlink.dll failed: ${result}")
endif()
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH "MONO_PATH=${assembly_dir}"
            "PENLINK_SIM=${SIM}" "${MONO}" --debug "${app}/InstalledModuleCheck.exe"
    WORKING_DIRECTORY "${app}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 90)
message(STATUS "partner module:\n${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "InstalledModuleCheck failed: ${result}")
endif()
