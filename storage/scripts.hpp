// Internal to storage/: the Lua scripts behind reminder_store and settings_store, each run atomically by Redis.
// Scripts take every fixed key through KEYS and build record keys from the prefix in ARGV[1] (see the Cluster
// note in reminder_store.hpp). A record is the string "due|created|attempt|chat|text"; scripts return reminders
// as pairs of id and record, and reminder_store.cpp parses them (owner, run and kind come from the id).
#pragma once

#include "storage/redis_connection.hpp"

namespace rb::scripts {

const redis_script& schedule();      // KEYS due lease owner plan; ARGV p wake_channel n mode anchor basis
                                     //   {id offset chat|text}*n
const redis_script& claim();         // KEYS due lease; ARGV p limit lease_ms
const redis_script& ack_many();      // KEYS due lease; ARGV p {id owner_id}*
const redis_script& retry_later();   // KEYS due lease; ARGV p id delay_ms
const redis_script& list_owner();    // KEYS due lease owner; ARGV p
const redis_script& snooze();        // KEYS due lease owner; ARGV p id by_ms
const redis_script& finish();        // KEYS due lease owner; ARGV p id
const redis_script& cancel_all();    // KEYS due lease owner plan; ARGV p
const redis_script& forget();        // KEYS due lease owner settings plan; ARGV p
const redis_script& deactivate();    // KEYS due lease owner settings plan; ARGV p

}  // namespace rb::scripts
