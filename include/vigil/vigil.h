/*
 * vigil/vigil.h - umbrella header: includes every public module.
 */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include "common.h"
#include "digest.h"
#include "image.h"
#include "pdq.h"
#include "store.h"
#include "ingest.h"


#endif
