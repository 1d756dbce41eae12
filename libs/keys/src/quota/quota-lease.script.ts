// Lua run atomically by Redis: the only place units of a key's windows are handed out or given back, so the sum
// of all hubs' leases in a window never exceeds its limit, whatever the number of hubs.

/** Gives `ARGV[n]` units back to each listed window key that still counts (never below zero, never resurrecting one). */
const giveBack = (first: number, last: number, argv: number) => `
local back = tonumber(ARGV[${argv}])
if back > 0 then
  for i = ${first}, ${last} do
    local c = tonumber(redis.call('GET', KEYS[i]) or '0')
    if c > 0 then redis.call('DECRBY', KEYS[i], math.min(back, c)) end
  end
end`;

/**
 * KEYS: minute key, day key, then the two keys a previous lease's unspent units go back to (before anything else).
 * ARGV: minute limit, day limit (-1: unlimited), their ttls (ms), units wanted, share divisor, units given back.
 * Checks both windows, then takes the same block from both: a call refused by the day limit takes no minute units.
 * Returns {1|2, ttl of the refusing window} or {0, units granted, minute count, day count (-1: unlimited)}.
 */
export const LEASE_SCRIPT = `${giveBack(3, 4, 7)}
local m = tonumber(redis.call('GET', KEYS[1]) or '0')
local d = tonumber(redis.call('GET', KEYS[2]) or '0')
local ml = tonumber(ARGV[1])
local dl = tonumber(ARGV[2])
if ml >= 0 and m >= ml then return {1, redis.call('PTTL', KEYS[1])} end
if dl >= 0 and d >= dl then return {2, redis.call('PTTL', KEYS[2])} end
local share = tonumber(ARGV[6])
local grant = tonumber(ARGV[5])
-- Never more than remains (room >= 1 here, so max(1, floor(room / share)) <= room), and never more than a share
-- of it, so a quiet hub does not hoard what another hub's callers need.
if ml >= 0 then grant = math.min(grant, math.max(1, math.floor((ml - m) / share))) end
if dl >= 0 then grant = math.min(grant, math.max(1, math.floor((dl - d) / share))) end
local mc = -1
local dc = -1
if ml >= 0 then
  mc = redis.call('INCRBY', KEYS[1], grant)
  if mc == grant then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
end
if dl >= 0 then
  dc = redis.call('INCRBY', KEYS[2], grant)
  if dc == grant then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
end
return {0, grant, mc, dc}
`;

/** KEYS: a lease's minute and day keys; ARGV: its unspent units. */
export const GIVE_BACK_SCRIPT = giveBack(1, 2, 1);

/** [verdict (0 granted, 1 minute, 2 day), units granted or ttl of the refusing window, minute count, day count] */
export type LeaseResult = [number, number, number?, number?];
