// Package v4 is the wire schema of Lyra's REST API V4 (PayZen, Systempay,
// Sogecommerce and the other white labels): the JSON objects the platform
// answers with and notifies, their exact serialization, and the kr-hash
// signature of IPNs and browser returns.
//
// Merchants hash the very bytes we send and many of them parse answers
// with code written against recordings of the real platform, so this
// package reproduces Lyra's layout rather than a Go-shaped one:
//
//   - every object lists its keys in Lyra's order and ends with its
//     "_type", which each type writes itself so that no caller can forget
//     it;
//   - every declared key is always present, null included (no omitempty);
//   - Marshal writes compact JSON with no HTML escaping and no "\/", the
//     form Lyra signs and Lyra's SDKs verify;
//   - dates are UTC with a "+00:00" offset and second precision.
//
// The field orders come from answers recorded against the real platform
// (the test suite replays them key by key). Where recordings of different
// platform versions disagree, the types carry the union of the keys in the
// order they share, the keys added by newer versions included, so an
// answer decoded from any recording re-encodes with the same keys in the
// same order, plus the nulls an older version did not know.
//
// The package knows nothing of shops, stores or the transaction core: the
// Lyra front fills these types from its own state and signs what Marshal
// returns.
package v4
