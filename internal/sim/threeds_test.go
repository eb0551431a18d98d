package sim_test

import (
	"testing"

	"guichet/internal/sim"
)

func TestThreeDS(t *testing.T) {
	for pan, want := range map[string]sim.Flow{
		// Paybox: every card is challenged but the one not enrolled.
		"1111222233334444": sim.Challenge,
		"4012001037141112": sim.Challenge,
		"4012001038443335": sim.NotEnrolled,
		// Lyra, as its test platform answers.
		"4970100000000055": sim.NotEnrolled,
		"4970100000000113": sim.NotEnrolled,
		"4970100000000014": sim.Rejected,
		"4970100000000063": sim.Rejected,
		"4970110000000039": sim.Challenge,
		"4970110000001029": sim.Frictionless,
		"5100010000000114": sim.Frictionless,
		"375900000010007":  sim.Frictionless,
		"4970110000001003": sim.Challenge,
		"5100010000000106": sim.Challenge,
		"375900000010015":  sim.Challenge,
		"4970110000000401": sim.Rejected,
		"4970110000000021": sim.Unavailable,
		"5100010000000049": sim.Unavailable,
		"375900000000016":  sim.Unavailable,
		"4970100000000048": sim.NotEnrolled,
		"5970100300000042": sim.NotEnrolled,
		"4970100000000022": sim.Challenge,
		"5970100300000026": sim.Challenge,
		"5970100300000018": sim.Frictionless,
		// Any other number is challenged.
		"4111111111111111": sim.Challenge,
		"":                 sim.Challenge,
	} {
		if got := sim.ThreeDS(pan); got != want {
			t.Errorf("ThreeDS(%q) = %v, want %v", pan, got, want)
		}
	}
}

func TestFlowResult(t *testing.T) {
	tests := []struct {
		flow  sim.Flow
		code  string
		want  sim.Authentication
		words string
	}{
		{sim.Challenge, sim.ChallengeCode, sim.Authentication{Status: "Y", LiabilityShift: true}, "challenge"},
		{sim.Challenge, "0000", sim.Authentication{Status: "N"}, "challenge"},
		{sim.Challenge, "", sim.Authentication{Status: "N"}, "challenge"},
		{sim.Frictionless, "", sim.Authentication{Status: "Y", LiabilityShift: true}, "frictionless"},
		{sim.Frictionless, "0000", sim.Authentication{Status: "Y", LiabilityShift: true}, "frictionless"},
		{sim.NotEnrolled, "", sim.Authentication{}, "not enrolled"},
		{sim.Rejected, sim.ChallengeCode, sim.Authentication{Status: "N"}, "rejected"},
		{sim.Unavailable, "", sim.Authentication{Status: "U"}, "unavailable"},
		{sim.Flow(-1), "", sim.Authentication{Status: "U"}, "unknown"},
		{sim.Flow(99), "", sim.Authentication{Status: "U"}, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.flow.Result(tt.code); got != tt.want {
			t.Errorf("%v.Result(%q) = %+v, want %+v", tt.flow, tt.code, got, tt.want)
		}
		if got := tt.flow.String(); got != tt.words {
			t.Errorf("Flow(%d).String() = %q, want %q", int(tt.flow), got, tt.words)
		}
	}
}
