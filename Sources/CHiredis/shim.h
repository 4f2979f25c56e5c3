// hiredis headers for Swift: the Redis session and identity store.
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
