# CTest script: installs the build tree into a fresh prefix, then compiles consumer.c as strict
# C99 against the installed headers only (flags from the installed pkg-config file) and runs it
# against the installed library; then builds a C++ consumer with find_package(penlink), and
# runs the installed penctl. Nothing runs with LD_LIBRARY_PATH: the pkg-config flags, CMake's
# imported target and penctl's RPATH must each find libpenlink in the non-system prefix.
# Variables: BUILD_DIR PREFIX LIBDIR C_COMPILER CXX_COMPILER SOURCE [SANITIZE]
# SANITIZE: the sanitizers the library was built with; the consumer must link their runtimes.
include("${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_scratch.cmake")
penlink_install_into_scratch("${BUILD_DIR}" "${PREFIX}" "")
foreach(generated export.h version.h penlink.h common.h connect_options.h values.h pen.h
                  pen_commands.h subscriptions.h modules.h treatment.h records.h run_outcome.h
                  discovery.h)
    if(NOT EXISTS "${PREFIX}/include/penlink/${generated}")
        message(FATAL_ERROR "installed tree lacks include/penlink/${generated}")
    endif()
endforeach()

set(lib "${PREFIX}/${LIBDIR}")
set(sanitize_flags "")
if(SANITIZE)
    set(sanitize_flags "-fsanitize=${SANITIZE}")
endif()
set(ENV{PKG_CONFIG_PATH} "${lib}/pkgconfig")
execute_process(COMMAND pkg-config --cflags --libs penlink OUTPUT_VARIABLE pc_flags
                RESULT_VARIABLE result OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config does not know the installed penlink.pc")
endif()
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
execute_process(
    COMMAND "${C_COMPILER}" -std=c99 -Wall -Wextra -pedantic -Werror ${sanitize_flags} "${SOURCE}"
            ${pc_flags} -o "${PREFIX}/consumer"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "compiling ${SOURCE} as C99 against the installed header failed")
endif()

# The same headers must also be valid C++ (extern "C", no C-only constructs).
foreach(header penlink.h common.h connect_options.h values.h pen.h pen_commands.h
               subscriptions.h modules.h treatment.h records.h run_outcome.h discovery.h)
    execute_process(
        COMMAND "${CXX_COMPILER}" -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only -x c++
                "-I${PREFIX}/include" "${PREFIX}/include/penlink/${header}"
        RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "the installed ${header} does not compile as C++11")
    endif()
endforeach()

set(no_library_path "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH)
execute_process(COMMAND ${no_library_path} "${PREFIX}/consumer" "${PREFIX}/vacuum.json"
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 60)
message(STATUS "${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the consumer built against the installed library failed: ${result}")
endif()

# find_package(penlink) from a separate CMake project, against the installed package only.
get_filename_component(consumer_dir "${SOURCE}" DIRECTORY)
set(cmake_build "${PREFIX}/cmake-consumer-build")
set(cxx_flags "")
if(SANITIZE)
    set(cxx_flags "-fsanitize=${SANITIZE}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${consumer_dir}/cmake_consumer" -B "${cmake_build}"
                        "-DCMAKE_PREFIX_PATH=${PREFIX}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
                        "-DCMAKE_CXX_FLAGS=${cxx_flags}"
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "find_package(penlink) against ${PREFIX} failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${cmake_build}" RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "building the find_package(penlink) consumer failed")
endif()
execute_process(COMMAND ${no_library_path} "${cmake_build}/consumer" "${PREFIX}/vacuum.json"
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 60)
message(STATUS "${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the find_package(penlink) consumer failed: ${result}")
endif()

# The installed tools, when built.
if(EXISTS "${PREFIX}/bin/penctl")
    execute_process(COMMAND ${no_library_path} "${PREFIX}/bin/penctl" info sim://
                    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 60)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "the installed penctl failed without LD_LIBRARY_PATH: ${output}")
    endif()
endif()
