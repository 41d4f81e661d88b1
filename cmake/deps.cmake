# Third-party libraries, all from Debian packages (scripts/install-deps).
# Each becomes an imported target PkgConfig::<NAME>.
pkg_check_modules(JANSSON  REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(YAJL     REQUIRED IMPORTED_TARGET yajl)
pkg_check_modules(SQLITE3  REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(OPENSSL  REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(ICU      REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(HS       REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(JPEG     REQUIRED IMPORTED_TARGET libjpeg)
pkg_check_modules(PNG      REQUIRED IMPORTED_TARGET libpng)
pkg_check_modules(WEBP     REQUIRED IMPORTED_TARGET libwebp libwebpdemux)
pkg_check_modules(LIBPQ    REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(ZLIB     REQUIRED IMPORTED_TARGET zlib)
# giflib ships no pkg-config file on Debian 12.
find_library(GIF_LIBRARY NAMES gif REQUIRED)
find_path(GIF_INCLUDE_DIR gif_lib.h REQUIRED)

set(VIGIL_DEP_TARGETS
    PkgConfig::JANSSON PkgConfig::YAJL PkgConfig::SQLITE3 PkgConfig::OPENSSL PkgConfig::ICU
    PkgConfig::HS PkgConfig::JPEG PkgConfig::PNG PkgConfig::WEBP
    PkgConfig::ZLIB ${GIF_LIBRARY} Threads::Threads m ${CMAKE_DL_LIBS})
# Headers only: libpq is loaded when a PostgreSQL store is opened
# (store_pg.c), so that commands that never use one do not pay for
# loading it and the twenty libraries it needs.
set(VIGIL_HEADER_ONLY_TARGETS PkgConfig::LIBPQ)
