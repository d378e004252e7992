# CTest script: configures penlink with one dependency hidden at a time and checks that the
# configure fails with a short message naming the Debian package(s) to install, not CMake's
# raw search output. Variables: SOURCE_DIR SCRATCH GENERATOR
foreach(case "Boost;libboost-json1.81-dev;-DPENLINK_BUILD_BINDINGS=OFF"
             "SQLite3;libsqlite3-dev;-DPENLINK_BUILD_BINDINGS=OFF"
             "SWIG;apt-get install swig;-DPENLINK_BUILD_BINDINGS=ON")
    list(GET case 0 package)
    list(GET case 1 expected)
    list(GET case 2 option)
    file(REMOVE_RECURSE "${SCRATCH}")
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${SCRATCH}" -G "${GENERATOR}"
                -DCMAKE_DISABLE_FIND_PACKAGE_${package}=ON ${option} -DPENLINK_BUILD_TESTS=OFF
                -DPENLINK_BUILD_TOOLS=OFF -DPENLINK_BUILD_BENCH=OFF -DPENLINK_BUILD_EXAMPLES=OFF
        RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
    if(result EQUAL 0)
        message(FATAL_ERROR "configuring without ${package} succeeded")
    endif()
    if(NOT errors MATCHES "${expected}")
        message(FATAL_ERROR "without ${package}, the error does not say `${expected}`:\n${errors}")
    endif()
    string(REGEX MATCHALL "\n" lines "${errors}")
    list(LENGTH lines count)
    if(count GREATER 12)
        message(FATAL_ERROR "without ${package}, ${count} lines of errors (want a short hint):\n${errors}")
    endif()
    message(STATUS "without ${package}: ${count} lines, naming ${expected}")
endforeach()
file(REMOVE_RECURSE "${SCRATCH}")
