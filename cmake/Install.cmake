# `cmake --install build [--prefix P]` lays MockLoop out the usual way:
#   P/bin/mockloop                          the server (finds the rest relative to P)
#   P/bin/mockloop-runner                   the code runner it starts (found next to it)
#   P/share/mockloop/content/               loop templates, rubrics, questions
#   P/share/mockloop/web/                   the built web client (client-web/dist, when built)
#   P/share/mockloop/deploy/                nginx-site.conf, mockloop.conf.example, the unit
#   P/lib/systemd/system/mockloop.service   the systemd unit (ExecStart uses P/bin)
#   /etc/mockloop/mockloop.conf             (the .deb only: the config file, a conffile)
# The .deb: scripts/package-deb.sh (configures with prefix /usr, then cpack -G DEB;
# dependencies from dpkg-shlibdeps).
include(GNUInstallDirs)

install(TARGETS mockloop mockloop-runner RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/content/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mockloop/content)
# Built by `npm run build` in client-web (scripts/run.sh, test.sh); skipped when absent.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/client-web/dist/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mockloop/web OPTIONAL)
configure_file(${PROJECT_SOURCE_DIR}/deploy/systemd/mockloop.service.in
               ${PROJECT_BINARY_DIR}/deploy/mockloop.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/deploy/mockloop.service DESTINATION lib/systemd/system)
set(deploy_dest ${CMAKE_INSTALL_DATADIR}/mockloop/deploy)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/nginx/mockloop.conf DESTINATION ${deploy_dest} RENAME nginx-site.conf)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/config/mockloop.conf DESTINATION ${deploy_dest} RENAME mockloop.conf.example)
install(FILES ${PROJECT_BINARY_DIR}/deploy/mockloop.service DESTINATION ${deploy_dest})
# The config file goes to /etc only for a system install (prefix /usr: the .deb,
# scripts/package-deb.sh); other prefixes never touch /etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  install(FILES ${PROJECT_SOURCE_DIR}/deploy/config/mockloop.conf DESTINATION /etc/mockloop)
endif()

set(CPACK_PACKAGE_NAME mockloop)
set(CPACK_PACKAGE_VENDOR "MockLoop")
set(CPACK_PACKAGE_CONTACT "MockLoop maintainers <mockloop@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Self-hosted real-time collaborative mock-interview server")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The code runner's sandbox (bwrap) and the languages it runs are programs, not libraries:
# dpkg-shlibdeps cannot see them. Without bubblewrap runs are refused (GET /api/runtimes).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bubblewrap, python3, nodejs, g++")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm)
include(CPack)
