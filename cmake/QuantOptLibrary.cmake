#===- QuantOptLibrary.cmake - libraries that are part of the API -*- cmake -*-===//
#
# add_quant_opt_library(name ...) is add_mlir_library plus what an installed
# package needs: the library is installed into lib/ and exported in the
# QuantOptTargets set as QuantOpt::<name without the QuantOpt prefix>
# (QuantOptQuantSimDialect -> QuantOpt::QuantSimDialect), and its installed
# usage requirements name the installed headers. Test-only libraries use
# add_mlir_library directly and are neither installed nor exported.
#
#===----------------------------------------------------------------------===//

function(add_quant_opt_library name)
  add_mlir_library(${name} ${ARGN} DISABLE_INSTALL)
  string(REGEX REPLACE "^QuantOpt" "" export_name "${name}")
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${export_name})
  target_include_directories(${name} INTERFACE
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # An instrumented library needs the sanitizer runtimes wherever it links.
  if(QUANT_OPT_SANITIZE)
    target_link_options(${name} INTERFACE -fsanitize=address,undefined)
  endif()
  install(TARGETS ${name}
    EXPORT QuantOptTargets
    COMPONENT quant-opt-libraries
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  set_property(GLOBAL APPEND PROPERTY QUANT_OPT_LIBS ${name})
endfunction()
