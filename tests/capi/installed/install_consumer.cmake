# CTest script: installs the build tree into a fresh prefix, then compiles consumer.c as strict
# C99 against the installed headers only and runs it against the installed library.
# Variables: BUILD_DIR PREFIX LIBDIR C_COMPILER CXX_COMPILER SOURCE [SANITIZE]
# SANITIZE: the sanitizers the library was built with; the consumer must link their runtimes.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed: ${result}")
endif()
foreach(generated export.h version.h penlink.h)
    if(NOT EXISTS "${PREFIX}/include/penlink/${generated}")
        message(FATAL_ERROR "installed tree lacks include/penlink/${generated}")
    endif()
endforeach()

set(lib "${PREFIX}/${LIBDIR}")
set(sanitize_flags "")
if(SANITIZE)
    set(sanitize_flags "-fsanitize=${SANITIZE}")
endif()
execute_process(
    COMMAND "${C_COMPILER}" -std=c99 -Wall -Wextra -pedantic -Werror ${sanitize_flags} "-I${PREFIX}/include" "${SOURCE}"
            "-L${lib}" -lpenlink "-Wl,-rpath,${lib}" -o "${PREFIX}/consumer"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "compiling ${SOURCE} as C99 against the installed header failed")
endif()

# The same header must also be valid C++ (extern "C", no C-only constructs).
execute_process(
    COMMAND "${CXX_COMPILER}" -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only -x c++
            "-I${PREFIX}/include" "${PREFIX}/include/penlink/penlink.h"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the installed penlink.h does not compile as C++11")
endif()

execute_process(COMMAND "${PREFIX}/consumer" RESULT_VARIABLE result OUTPUT_VARIABLE output
                ERROR_VARIABLE output TIMEOUT 60)
message(STATUS "${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the consumer built against the installed library failed: ${result}")
endif()
