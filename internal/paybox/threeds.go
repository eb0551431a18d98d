package paybox

import "strings"

// A Paybox Direct authorization may carry the outcome of a 3-D Secure
// authentication the merchant ran itself (with its own MPI, or Paybox's
// RemoteMPI): 3DSTATUS, 3DSIGNVAL, 3DCAVV and the other fields below, and
// for 3-D Secure 2 the version and the two transaction identifiers of the
// directory and the access control server.

// threeDSLimits are the longest values the platform takes. The CAVV and the
// XID are 20 bytes in base64 (28 characters): activemerchant's live suites
// had a 33-character CAVV, a 35-character XID and a 43-character merchant
// name refused with "Some values exceed max length", and 28 and 20
// characters taken. The identifiers of 3-D Secure 2 are UUIDs.
var threeDSLimits = []struct {
	name string
	max  int
}{
	{"3DSTATUS", 1}, {"3DENROLLED", 1}, {"3DSIGNVAL", 1}, {"3DERROR", 6}, {"3DECI", 2},
	{"3DCAVV", 28}, {"3DCAVVALGO", 2}, {"3DXID", 28},
	{"VERSION3DS", 8}, {"DSTRANSID", 36}, {"ACSTRANSID", 36}, {"NOMMARCHANDAUTHENT", 40},
}

// threeDS is what an authorization request says of its 3-D Secure
// authentication.
type threeDS struct {
	status string // 3DSTATUS: "Y" authenticated, "A" attempted; "" without 3-D Secure
}

// parseThreeDS checks the 3-D Secure fields of an authorization. A request
// without any of them is a payment without 3-D Secure. One with them is
// refused, as the platform refuses it, when a value is too long or of the
// wrong form, or when the authentication did not succeed: refusal is ""
// when the request may go on, and comment is the platform's words for
// the refusal.
func parseThreeDS(f Form) (t threeDS, refusal, comment string) {
	present := false
	for _, l := range threeDSLimits {
		v, ok := f.Get(l.name)
		if !ok {
			continue
		}
		present = true
		if len(v) > l.max {
			return t, codeFrame, commentTooLong
		}
	}
	if !present {
		return t, "", ""
	}
	for _, name := range []string{"DSTRANSID", "ACSTRANSID"} {
		if v, ok := f.Get(name); ok && v != "" && !isUUID(v) {
			// activemerchant remote_paybox_direct_3dsv2_test.rb,
			// test_failed_purchase_invalid_ds_transaction_id and
			// _acs_transaction_id (live).
			return t, codeFrame, comments[codeFrame]
		}
	}
	if v := f.Value("3DECI"); v != "" && !allDigits(v, 2, 2) {
		return t, codeFrame, commentInvalidData
	}
	status, signature := f.Value("3DSTATUS"), f.Value("3DSIGNVAL")
	if strings.HasPrefix(f.Value("VERSION3DS"), "2") {
		switch {
		case signature == "N":
			return t, codeNot3DS, commentBadSignature3DS
		case status != "Y" && status != "A":
			return t, codeNot3DS, commentBadStatus3DS
		}
		return threeDS{status: status}, "", ""
	}
	if (status != "Y" && status != "A") || signature == "N" || strings.Trim(f.Value("3DERROR"), "0") != "" {
		return t, codeNot3DS, commentRefused
	}
	return threeDS{status: status}, "", ""
}

// isUUID reports whether s is a UUID in its textual form, 8-4-4-4-12
// hexadecimal digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
