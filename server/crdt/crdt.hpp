// Umbrella header of the Yjs-compatible CRDT engine (namespace mockloop::crdt).
#pragma once

#include "crdt/doc.hpp"
#include "crdt/encoding.hpp"
#include "crdt/result.hpp"
#include "crdt/types.hpp"
#include "crdt/update_ops.hpp"
