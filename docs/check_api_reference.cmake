# CTest script: builds the C and C++ API reference with Doxygen and fails on any warning, except
# "not documented" for the names still listed in docs/api-undocumented.txt. That list may only
# shrink: an entry whose name is now documented fails the check too, until it is removed.
# Variables: DOXYGEN DOXYFILE OUTPUT BASELINE
file(REMOVE_RECURSE "${OUTPUT}")
file(MAKE_DIRECTORY "${OUTPUT}")
execute_process(COMMAND "${DOXYGEN}" "${DOXYFILE}" RESULT_VARIABLE result
                OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "doxygen failed (${result}):\n${output}")
endif()
file(STRINGS "${OUTPUT}/warnings.log" lines)
file(STRINGS "${BASELINE}" baseline REGEX "^[^#]")
set(new "")
set(seen "")
foreach(line IN LISTS lines)
    # "/path/include/penlink/x.hpp:12: warning: text" -> "penlink/x.hpp: text" (no line
    # numbers: they move with every edit).
    if(NOT line MATCHES "^(.*/)?(penlink/[^:/]+):[0-9]+: warning: (.*)$")
        if(line MATCHES "warning")
            list(APPEND new "${line}")
        endif()
        continue()
    endif()
    set(entry "${CMAKE_MATCH_2}: ${CMAKE_MATCH_3}")
    list(FIND baseline "${entry}" index)
    if(index EQUAL -1 OR NOT entry MATCHES "is not documented")
        list(APPEND new "${entry}")
    else()
        list(APPEND seen "${entry}")
    endif()
endforeach()
set(stale "")
foreach(entry IN LISTS baseline)
    list(FIND seen "${entry}" index)
    if(index EQUAL -1)
        list(APPEND stale "${entry}")
    endif()
endforeach()
if(new OR stale)
    list(JOIN new "\n  " new_text)
    list(JOIN stale "\n  " stale_text)
    message(FATAL_ERROR "API reference check failed.\n"
            "Doxygen warnings (document the name with ///, or fix the reference):\n  ${new_text}\n"
            "Documented now, so remove from docs/api-undocumented.txt:\n  ${stale_text}")
endif()
list(LENGTH seen remaining)
message(STATUS "API reference: no warnings; ${remaining} names still to document")
