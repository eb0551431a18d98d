package backoffice

import "testing"

func TestFormHas(t *testing.T) {
	tests := []struct {
		raw, want string
		match     bool
	}{
		{"TYPE=00001&REFERENCE=cmd%261&MONTANT=1000", "cmd&1", true},
		{"REFERENCE=cmd&1=x", "cmd&1", false},
		{"REFERENCE=cmd1", "cmd", false},
		{"REFERENCE=order 1", "order 1", true},
		{"REFERENCE=order+1", "order 1", true},
		{"REFERENCE=a%2Bb", "a+b", true},
		{"REFERENCE=100%", "100%", true}, // recorded before values were escaped
		{"XREFERENCE=cmd", "cmd", false},
		{"PBX_CMD=cmd", "cmd", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := formHas(tt.raw, "REFERENCE", tt.want); got != tt.match {
			t.Errorf("formHas(%q, REFERENCE, %q) = %v, want %v", tt.raw, tt.want, got, tt.match)
		}
	}
}
