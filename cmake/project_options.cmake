# One INTERFACE target carries warnings and sanitizer flags; every project target links it.
add_library(switchboard_options INTERFACE)
target_compile_features(switchboard_options INTERFACE cxx_std_20)
target_compile_options(switchboard_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
if(SWITCHBOARD_WERROR)
  target_compile_options(switchboard_options INTERFACE -Werror)
endif()
if(SWITCHBOARD_SANITIZERS AND SWITCHBOARD_TSAN)
  message(FATAL_ERROR "SWITCHBOARD_SANITIZERS and SWITCHBOARD_TSAN cannot be combined")
endif()
if(SWITCHBOARD_SANITIZERS)
  target_compile_options(switchboard_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(switchboard_options INTERFACE -fsanitize=address,undefined)
endif()
if(SWITCHBOARD_TSAN)
  target_compile_options(switchboard_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(switchboard_options INTERFACE -fsanitize=thread)
endif()
