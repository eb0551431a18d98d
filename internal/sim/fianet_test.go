package sim_test

import (
	"reflect"
	"testing"
	"time"

	"guichet/internal/sim"
)

func TestScoring(t *testing.T) {
	type step = sim.Step
	for _, c := range []struct {
		name   string
		amount int64
		email  string
		option string
		types  []int
		want   []step
	}{
		{"consistent standard order", 1250, "buyer@example.com", "STANDARD", []int{20, 15},
			[]step{{After: 0, Code: "201"}, {After: 10 * time.Minute, Code: "301"}}},
		{"pay on receipt", 1250, "buyer@example.com", "1XRNP", nil,
			[]step{{After: 0, Code: "201"}, {After: 10 * time.Minute, Code: "301"}}},
		{"amount ending in 66", 1266, "buyer@example.com", "STANDARD", nil,
			[]step{{After: 0, Code: "201"}, {After: 5 * time.Minute, Code: "401"}}},
		{"fraud e-mail", 1250, "Fraud@example.com", "STANDARD", nil,
			[]step{{After: 0, Code: "201"}, {After: 10 * time.Minute, Code: "302"}}},
		{"auctions", 1250, "buyer@example.com", "STANDARD", []int{4, 6},
			[]step{{After: 0, Code: "201"}, {After: 2 * time.Hour, Code: "300"}}},
		{"long review", 1277, "buyer@example.com", "STANDARD", nil,
			[]step{{After: 0, Code: "201"}, {After: 24 * time.Hour, Code: "301"}}},
		{"credit", 1250, "buyer@example.com", "CREDIT", nil,
			[]step{{After: 0, Code: "200"}, {After: 30 * time.Minute, Code: "500"}, {After: time.Hour, Code: "501"}}},
		{"credit refused", 9966, "buyer@example.com", "CREDIT", nil,
			[]step{{After: 0, Code: "200"}, {After: 30 * time.Minute, Code: "500"}, {After: time.Hour, Code: "503"}}},
		{"credit, fraud e-mail", 1250, "fraud@example.com", "CREDIT", nil,
			[]step{{After: 0, Code: "200"}, {After: 10 * time.Minute, Code: "302"}}},
		{"refusal wins over fraud", 1266, "fraud@example.com", "STANDARD", []int{6},
			[]step{{After: 0, Code: "201"}, {After: 5 * time.Minute, Code: "401"}}},
	} {
		got := sim.Scoring(c.amount, c.email, c.option, c.types)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		// The same order always gets the same path.
		if again := sim.Scoring(c.amount, c.email, c.option, c.types); !reflect.DeepEqual(again, got) {
			t.Errorf("%s: not deterministic: %v then %v", c.name, got, again)
		}
	}
}

func TestOperationOutcomes(t *testing.T) {
	day := 24 * time.Hour
	for _, c := range []struct {
		name   string
		got    []sim.Step
		wanted []sim.Step
	}{
		{"capture of a standard payment", sim.AfterCapture(1250, "STANDARD"), nil},
		{"capture of a credit", sim.AfterCapture(1250, "CREDIT"), []sim.Step{{After: 3 * day, Code: "502"}}},
		{"capture of a disputed payment", sim.AfterCapture(1288, "1XRNP"),
			[]sim.Step{{After: day, Code: "600"}, {After: day, Code: "601"}, {After: 2 * day, Code: "602"}, {After: 5 * day, Code: "603"}}},
		{"capture of a credit ending in 88", sim.AfterCapture(1288, "CREDIT"), []sim.Step{{After: 3 * day, Code: "502"}}},
		{"cancellation", []sim.Step{sim.Cancellation(1250)}, []sim.Step{{After: time.Hour, Code: "701"}}},
		{"cancellation of an amount ending in 72", []sim.Step{sim.Cancellation(1272)}, []sim.Step{{After: time.Hour, Code: "702"}}},
		{"refund", []sim.Step{sim.Refund(600)}, []sim.Step{{After: day, Code: "801"}}},
		{"refund of an amount ending in 82", []sim.Step{sim.Refund(482)}, []sim.Step{{After: day, Code: "802"}}},
	} {
		if !reflect.DeepEqual(c.got, c.wanted) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.wanted)
		}
	}
}
