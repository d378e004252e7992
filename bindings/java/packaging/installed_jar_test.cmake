# CTest script: installs only the "java" component into a fresh prefix, then runs
# examples/java/Quickstart.java against sim:// with nothing but the installed jar on the class
# path. It passes only if the jar carries and loads its own native libraries.
# Variables: BUILD_DIR PREFIX JAR (relative to PREFIX) JAVA EXAMPLE
foreach(variable BUILD_DIR PREFIX JAR JAVA EXAMPLE)
    if(NOT ${variable})
        message(FATAL_ERROR "installed_jar_test.cmake needs -D${variable}=...")
    endif()
endforeach()

include("${CMAKE_CURRENT_LIST_DIR}/../../../cmake/install_scratch.cmake")
penlink_install_into_scratch("${BUILD_DIR}" "${PREFIX}" "java")
if(NOT EXISTS "${PREFIX}/${JAR}")
    message(FATAL_ERROR "the java component did not install ${JAR}")
endif()
get_filename_component(jar_dir "${PREFIX}/${JAR}" DIRECTORY)
if(NOT IS_SYMLINK "${jar_dir}/penlink.jar")
    message(FATAL_ERROR "the java component did not install the unversioned link penlink.jar")
endif()
# The jar is the whole component: a native library installed beside it would mean the test
# could pass without the jar's own copies.
file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${PREFIX}" "${PREFIX}/*")
list(SORT installed)
get_filename_component(jar_name "${JAR}" NAME)
get_filename_component(jar_parent "${JAR}" DIRECTORY)
if(NOT installed STREQUAL "${jar_parent}/${jar_name};${jar_parent}/penlink.jar")
    message(FATAL_ERROR "the java component should install only the jar, but installed: ${installed}")
endif()

set(temp "${PREFIX}/tmp")
file(MAKE_DIRECTORY "${temp}")

# Run the way the example's header says (java's source launcher), with only the jar on the class
# path. java.io.tmpdir is ours so the test can see that the extracted libraries are cleaned up.
# JAVA_TOOL_OPTIONS could point penlink.library.path at a build tree; it must not apply here.
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env --unset=JAVA_TOOL_OPTIONS --unset=JDK_JAVA_OPTIONS
            "${JAVA}" "-Djava.io.tmpdir=${temp}" -cp "${jar_dir}/penlink.jar" "${EXAMPLE}" sim://
    WORKING_DIRECTORY "${PREFIX}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output TIMEOUT 90)
message(STATUS "${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "Quickstart against the installed jar failed: ${result}")
endif()
if(NOT output MATCHES "connected to .*running: .*quickstart done")
    message(FATAL_ERROR "Quickstart did not connect, run and finish against the installed jar")
endif()
file(GLOB leftovers "${temp}/penlink-native-*")
if(leftovers)
    message(FATAL_ERROR "the jar's extracted native libraries were left behind: ${leftovers}")
endif()
