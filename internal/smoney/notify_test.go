package smoney

import "testing"

// TestCallbackSignature checks the signature against the vector of a
// public S-money client's test suite (assoconnect/smoney-client,
// tests/ClientTest.php): the body {orderId: 123456, amount: 1020} with
// the secret "0" signs "1020+123456+0".
func TestCallbackSignature(t *testing.T) {
	got := callbackSignature(map[string]string{"orderId": "123456", "amount": "1020"}, "0")
	if want := "814de6e4d24008b1764fe093026b5127cddbf6c2"; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
}
