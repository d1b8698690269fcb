package discord

// A signed interaction request stays valid for as long as its timestamp is accepted
// (Config.MaxTimestampSkew either way), so whoever captures one could post it again and get it
// answered again. Discord itself never sends an interaction twice over HTTP: the endpoint
// answers each interaction id once and refuses the others. The ids are remembered in this
// process (a dedup.Memory) and, when Config.Dedup is set (Redis, shared by replicas), there
// too.

// DefaultMaxReplayIDs bounds the interaction ids remembered in memory when Config.MaxReplayIDs
// is zero: at 100 interactions a second for the 10-minute window, about 60,000.
const DefaultMaxReplayIDs = 100_000
