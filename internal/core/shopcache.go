package core

import (
	"sync"
	"time"

	"guichet"
)

// shopTTL bounds how long a shop read from the store is trusted. Every
// request needs its shop to authenticate, and shops change rarely; a change
// made through this Service clears the cache at once, one made by another
// instance sharing the database is seen within shopTTL.
const shopTTL = time.Second

// shopCache keeps recently read shops by a front's lookup key.
type shopCache struct {
	mu    sync.Mutex
	shops map[string]cachedShop
}

type cachedShop struct {
	shop    *guichet.Shop
	expires time.Time
}

func (c *shopCache) get(key string, now time.Time) *guichet.Shop {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.shops[key]
	if !ok || !now.Before(e.expires) {
		return nil
	}
	return e.shop
}

func (c *shopCache) put(key string, shop *guichet.Shop, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shops == nil {
		c.shops = make(map[string]cachedShop)
	}
	c.shops[key] = cachedShop{shop: shop, expires: now.Add(shopTTL)}
}

func (c *shopCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.shops)
}
