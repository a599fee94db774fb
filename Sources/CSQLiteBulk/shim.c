// A C target needs a source file; everything is in include/CSQLiteBulk.h.
#include "CSQLiteBulk.h"
