// Internal to storage/: the Lua scripts, each run atomically by Redis. Every key a script touches is passed in
// KEYS (Redis Cluster and ACLs rely on it); ids and the prefix-free values come in ARGV. Records and key names
// are described in keys.hpp.
#pragma once

#include "storage/redis_script.hpp"

namespace rb::scripts {

// One update's effects, all or none, and the update marked seen in the same step.
//   KEYS seen settings owner plan due:0 due:1 due:2 lease quarantine
//   ARGV check_seen("1"|"0") wake_channel owner_id seen_ttl_s, then the ops one after another, each its name and
//   fields: plan mode run chat anchor basis n {kind offset lane text}*n | snooze id by_ms | finish id | cancel |
//   settings n {field value}*n | forget | deactivate | send id chat call | quarantine n id*n
//   -> {1, earliest due added or -1} when applied, {0, -1} when the update was already committed
const redis_script& commit();

// Ids ready to claim: expired leases first, then each due lane in order, due <= TIME. Reads only.
//   KEYS due:0 due:1 due:2 lease   ARGV limit later_limit   -> {TIME in ms, {id, source}*} (source "l", "0", "1"
//   or "2"); the time so a claimer that finds nothing ready still learns Redis's clock without a TIME call
const redis_script& claim_candidates();

// Leases the candidates that are still ready (checked again here: another instance may have taken them).
//   KEYS due:0 due:1 due:2 lease quarantine owner*   ARGV lease_ms {id source owner_index}*
//   -> {token, id, record, id, record, ...}; records that do not parse go to the quarantine
const redis_script& claim();

// Acks or drops claimed ids, each only while its claim's token still holds; a delivered reminder leaves a copy.
//   KEYS lease owner*   ARGV {id token owner_index keep_copy("1"|"0")}*   -> {1|0}* per id:
//   settled, or its claim was lost
const redis_script& settle_many();

// A claimed id back onto its lane, due after delay; one more attempt if counted. Only while the token holds.
//   KEYS lease due:<lane> owner   ARGV id token delay_ms count("1"|"0")   -> 1, or 0 when the claim was lost
const redis_script& hand_back();

// Right before a send: the claim still holds, so extend it to TIME + lease and return the new token; else 0.
//   KEYS lease   ARGV id token lease_ms
const redis_script& renew();

}  // namespace rb::scripts
