# Compiles Penlink.dll: every SWIG-generated .cs in GENERATED_DIR plus the hand-written sources
# in SOURCE_DIR, and ASSEMBLY_INFO (the version attributes CMake generates); DOC receives the
# XML documentation (IDEs show it beside the assembly). Run with cmake -P (see CMakeLists.txt);
# warnings are errors for our code too, except CS1591 (a public name without a comment).
file(GLOB generated ${GENERATED_DIR}/*.cs)
file(GLOB hand_written ${SOURCE_DIR}/*.cs)
if(NOT generated)
    message(FATAL_ERROR "no SWIG-generated C# sources in ${GENERATED_DIR}")
endif()
execute_process(
    COMMAND ${MCS} -nologo -langversion:7.2 -target:library -optimize+ -debug -warn:4
            -warnaserror -nowarn:1591 -doc:${DOC} -out:${OUTPUT} ${generated} ${hand_written}
            ${ASSEMBLY_INFO}
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "mcs failed (${result})")
endif()
