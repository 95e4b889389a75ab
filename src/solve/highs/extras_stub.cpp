// HiGHS looks for its optional "extras" (the HiPO interior point and its BLAS, METIS,
// AMD and RCM orderings) through two C functions. allyplan builds HiGHS without them, so
// these say that none is there: HiGHS then solves with IPX and its simplex, on every
// machine the same, and never loads a library at run time.
#include "HighsExtrasApi.h"

extern "C" {

const HighsExtrasFeatureInfo* HighsExtras_getFeatureInfo() { return nullptr; }

bool HighsExtras_getApi(HighsExtras::HighsExtrasApi* api) {
  if (api) *api = HighsExtras::HighsExtrasApi{};
  return false;
}

}  // extern "C"
