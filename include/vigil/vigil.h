/*
 * vigil/vigil.h - umbrella header: includes every public module.
 */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include "bank.h"
#include "common.h"
#include "digest.h"
#include "image.h"
#include "index.h"
#include "match.h"
#include "incidents.h"
#include "langid.h"
#include "pdq.h"
#include "store.h"
#include "ingest.h"
#include "text.h"


#endif
