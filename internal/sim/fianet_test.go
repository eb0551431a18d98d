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
			[]step{{0, "201"}, {10 * time.Minute, "301"}}},
		{"pay on receipt", 1250, "buyer@example.com", "1XRNP", nil,
			[]step{{0, "201"}, {10 * time.Minute, "301"}}},
		{"amount ending in 66", 1266, "buyer@example.com", "STANDARD", nil,
			[]step{{0, "201"}, {5 * time.Minute, "401"}}},
		{"fraud e-mail", 1250, "Fraud@example.com", "STANDARD", nil,
			[]step{{0, "201"}, {10 * time.Minute, "302"}}},
		{"auctions", 1250, "buyer@example.com", "STANDARD", []int{4, 6},
			[]step{{0, "201"}, {2 * time.Hour, "300"}}},
		{"long review", 1277, "buyer@example.com", "STANDARD", nil,
			[]step{{0, "201"}, {24 * time.Hour, "301"}}},
		{"credit", 1250, "buyer@example.com", "CREDIT", nil,
			[]step{{0, "200"}, {30 * time.Minute, "500"}, {time.Hour, "501"}}},
		{"credit refused", 9966, "buyer@example.com", "CREDIT", nil,
			[]step{{0, "200"}, {30 * time.Minute, "500"}, {time.Hour, "503"}}},
		{"credit, fraud e-mail", 1250, "fraud@example.com", "CREDIT", nil,
			[]step{{0, "200"}, {10 * time.Minute, "302"}}},
		{"refusal wins over fraud", 1266, "fraud@example.com", "STANDARD", []int{6},
			[]step{{0, "201"}, {5 * time.Minute, "401"}}},
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
		{"capture of a credit", sim.AfterCapture(1250, "CREDIT"), []sim.Step{{3 * day, "502"}}},
		{"capture of a disputed payment", sim.AfterCapture(1288, "1XRNP"),
			[]sim.Step{{day, "600"}, {day, "601"}, {2 * day, "602"}, {5 * day, "603"}}},
		{"capture of a credit ending in 88", sim.AfterCapture(1288, "CREDIT"), []sim.Step{{3 * day, "502"}}},
		{"cancellation", []sim.Step{sim.Cancellation(1250)}, []sim.Step{{time.Hour, "701"}}},
		{"cancellation of an amount ending in 72", []sim.Step{sim.Cancellation(1272)}, []sim.Step{{time.Hour, "702"}}},
		{"refund", []sim.Step{sim.Refund(600)}, []sim.Step{{day, "801"}}},
		{"refund of an amount ending in 82", []sim.Step{sim.Refund(482)}, []sim.Step{{day, "802"}}},
	} {
		if !reflect.DeepEqual(c.got, c.wanted) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.wanted)
		}
	}
}
