# CTest script: the one-line descriptions that package managers and users see (pkg-config,
# PyPI, Maven, the C# assembly, the README's opening) name only transports the code has: a
# transport named there needs its implementation in src/transport (or src/sim).
# Variable: SOURCE_DIR
set(sources
    cmake/penlink.pc.in pyproject.toml bindings/java/pom.xml bindings/csharp/AssemblyInfo.cs.in
    README.md)
# "pattern=implementation"
set(transports
    "BLE|[Bb]luetooth=src/transport/ble/ble_transport.cpp"
    "[Ss]erial=src/transport/serial_transport.cpp"
    "TCP=src/transport/tcp_transport.cpp"
    "[Ss]imulator=src/sim")
set(broken "")
foreach(source IN LISTS sources)
    file(STRINGS "${SOURCE_DIR}/${source}" lines REGEX "[Dd]escription|^penlink is|^pen over")
    foreach(transport IN LISTS transports)
        string(REGEX REPLACE "=.*" "" pattern "${transport}")
        string(REGEX REPLACE ".*=" "" implementation "${transport}")
        if(lines MATCHES "(${pattern})" AND NOT EXISTS "${SOURCE_DIR}/${implementation}")
            list(APPEND broken "${source} names ${CMAKE_MATCH_1}, but ${implementation} is missing")
        endif()
    endforeach()
endforeach()
if(broken)
    list(JOIN broken "\n  " text)
    message(FATAL_ERROR "descriptions promise what the code does not do:\n  ${text}")
endif()
message(STATUS "descriptions name only transports the code has")
