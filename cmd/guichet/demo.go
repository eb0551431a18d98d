package main

import (
	"context"
	"time"

	"guichet"
	"guichet/internal/front"
)

// seedDemo creates the demo shops of every front that do not exist yet;
// shops already there are left as the operator changed them. It returns
// each front's demo shops as stored.
func seedDemo(ctx context.Context, store guichet.Store, fronts []front.Front, now time.Time) (map[string][]guichet.Shop, error) {
	demo := map[string][]guichet.Shop{}
	err := store.Update(ctx, func(tx guichet.Tx) error {
		for _, f := range fronts {
			shops := f.Demo(now)
			for i := range shops {
				s, err := tx.Shop(shops[i].ID)
				if err == nil {
					shops[i] = *s
					continue
				}
				if guichet.ErrorCode(err) != guichet.CodeNotFound {
					return err
				}
				if err := tx.PutShop(&shops[i]); err != nil {
					return err
				}
			}
			demo[f.Name()] = shops
		}
		return nil
	})
	return demo, err
}
