// Per-thread state of the inference run executing on this thread. A plan's run is synchronous
// (no suspension points), so the thread it started on is its scope; a C thread-local is read in
// ~1 ns where a Swift task-local lookup plus the generic copy of its value cost ~30 ns, paid on
// every tensor allocation.
#include "aiplat_kernels.h"

static _Thread_local void *current_buffer_pool;

void *aiplat_current_buffer_pool(void) { return current_buffer_pool; }

void aiplat_set_current_buffer_pool(void *pool) { current_buffer_pool = pool; }
