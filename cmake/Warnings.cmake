# mockloop_warnings(target): strict warnings for project code only (third-party headers
# are included as SYSTEM so they never trip -Werror).
function(mockloop_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
endfunction()
