package main

import (
	"guichet/internal/front"
	"guichet/internal/lyra"
	"guichet/internal/paybox"
	"guichet/internal/payline"
	"guichet/internal/smoney"
)

// fronts are the protocols guichet serves, in the order the banner lists
// them. A new front is one more line here (see package front).
var fronts = []front.New{
	paybox.New,
	lyra.New,
	payline.New,
	smoney.New,
}
