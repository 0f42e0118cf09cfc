// The one translation unit that compiles Boost.URL (its header-only mode), so neither the build nor the image
// needs the separate libboost-url package. Parsers include only <boost/url/parse.hpp>.
#include <boost/url/src.hpp>
