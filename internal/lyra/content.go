package lyra

import (
	"net/mail"
	"strings"

	"guichet"
)

// A field rule: the field's wire name, the error code of a bad value, its
// longest length and the characters it takes.
type rule struct {
	name  string
	code  string
	max   int
	check func(string) bool
}

// str reads the field of a rule into *dst.
func (o object) rule(r rule, dst *string) error {
	s, err := o.str(r.name, r.code, r.max)
	if err != nil {
		return err
	}
	if s != "" && r.check != nil && !r.check(s) {
		return fail(r.code, o.name(r.name)+" has an invalid value")
	}
	*dst = s
	return nil
}

// rules reads several fields.
func (o object) rules(list []ruled) error {
	for _, f := range list {
		if err := o.rule(f.rule, f.dst); err != nil {
			return err
		}
	}
	return nil
}

type ruled struct {
	rule
	dst *string
}

// Value checks of the formats Lyra's references give: a (letters), n
// (digits), an (letters and digits), ans (anything).
func letters(n int) func(string) bool {
	return func(s string) bool {
		if len(s) != n {
			return false
		}
		for _, c := range s {
			if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
				return false
			}
		}
		return true
	}
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// alphanumeric takes letters (accented ones too), digits, spaces and the
// hyphen and apostrophe of names: what a city or a postcode holds.
func alphanumeric(s string) bool {
	for _, c := range s {
		switch {
		case c == ' ' || c == '-' || c == '\'' || c == '.':
		case '0' <= c && c <= '9':
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0xC0 && c != 0xD7 && c != 0xF7:
		default:
			return false
		}
	}
	return true
}

func oneOf(values ...string) func(string) bool {
	return func(s string) bool {
		for _, v := range values {
			if s == v {
				return true
			}
		}
		return false
	}
}

// The enumerations of customer fields (Lyra's REST reference).
var (
	categories      = oneOf("PRIVATE", "COMPANY")
	shippingMethods = oneOf("RECLAIM_IN_SHOP", "RELAY_POINT", "RECLAIM_IN_STATION", "PACKAGE_DELIVERY_COMPANY",
		"ETICKET", "CARD_HOLDER_ADDRESS", "VERIFIED_ADDRESS", "NOT_VERIFIED_ADDRESS", "SHIP_TO_STORE",
		"DIGITAL_GOOD", "ETRAVEL_OR_ETICKET", "OTHER", "PICKUP_POINT", "AUTOMATED_PICKUP_POINT")
	shippingSpeeds = oneOf("STANDARD", "EXPRESS", "PRIORITY")
	productTypes   = oneOf("FOOD_AND_GROCERY", "AUTOMOTIVE", "ENTERTAINMENT", "HOME_AND_GARDEN", "HOME_APPLIANCE",
		"AUCTION_AND_GROUP_BUYING", "FLOWERS_AND_GIFTS", "COMPUTER_AND_SOFTWARE", "HEALTH_AND_BEAUTY",
		"SERVICE_FOR_INDIVIDUAL", "SERVICE_FOR_BUSINESS", "SPORTS", "CLOTHING_AND_ACCESSORIES", "TRAVEL",
		"HOME_AUDIO_PHOTO_VIDEO", "TELEPHONY")
)

// parseCustomer reads the customer object of a request.
func parseCustomer(req object) (*guichet.Customer, error) {
	o, err := req.object("customer", "INT_902")
	if err != nil || len(o.fields) == 0 {
		return nil, err
	}
	c := &guichet.Customer{}
	if err := o.rules([]ruled{
		{rule{"reference", "INT_016", 80, nil}, &c.Reference},
		{rule{"email", "INT_015", 150, validEmail}, &c.Email},
	}); err != nil {
		return nil, err
	}
	if c.Billing, err = parseBilling(o); err != nil {
		return nil, err
	}
	if c.Shipping, err = parseShipping(o); err != nil {
		return nil, err
	}
	if extra, err := o.object("extraDetails", "INT_902"); err != nil {
		return nil, err
	} else if len(extra.fields) > 0 {
		b := &guichet.Browser{}
		if err := extra.rules([]ruled{
			{rule{"ipAddress", "INT_902", 64, nil}, &b.IP},
			{rule{"browserUserAgent", "INT_902", 255, nil}, &b.UserAgent},
			{rule{"browserAccept", "INT_902", 255, nil}, &b.Accept},
			{rule{"fingerPrintId", "INT_873", 128, nil}, &b.FingerprintID},
		}); err != nil {
			return nil, err
		}
		c.Browser = b
	}
	return c, nil
}

// validEmail takes an address alone, as Lyra's check does.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == strings.TrimSpace(s)
}

func parseBilling(customer object) (*guichet.Address, error) {
	o, err := customer.object("billingDetails", "INT_902")
	if err != nil || len(o.fields) == 0 {
		return nil, err
	}
	a := &guichet.Address{}
	err = o.rules([]ruled{
		{rule{"title", "INT_017", 63, nil}, &a.Title},
		{rule{"category", "INT_092", 0, categories}, &a.Category},
		{rule{"firstName", "INT_104", 63, nil}, &a.FirstName},
		{rule{"lastName", "INT_105", 63, nil}, &a.LastName},
		{rule{"legalName", "INT_121", 100, nil}, &a.LegalName},
		{rule{"phoneNumber", "INT_023", 32, nil}, &a.Phone},
		{rule{"cellPhoneNumber", "INT_023", 32, nil}, &a.CellPhone},
		{rule{"streetNumber", "INT_112", 64, nil}, &a.StreetNumber},
		{rule{"address", "INT_019", 255, nil}, &a.Street},
		{rule{"address2", "INT_019", 255, nil}, &a.Street2},
		{rule{"district", "INT_113", 127, nil}, &a.District},
		{rule{"zipCode", "INT_020", 64, nil}, &a.ZipCode},
		{rule{"city", "INT_021", 128, nil}, &a.City},
		{rule{"state", "INT_088", 127, nil}, &a.State},
		{rule{"country", "INT_022", 0, letters(2)}, &a.Country},
		{rule{"language", "INT_012", 0, letters(2)}, &a.Language},
		{rule{"identityCode", "INT_124", 255, nil}, &a.IdentityCode},
		{rule{"identityType", "INT_806", 255, nil}, &a.IdentityType},
	})
	return a, err
}

func parseShipping(customer object) (*guichet.Address, error) {
	o, err := customer.object("shippingDetails", "INT_902")
	if err != nil || len(o.fields) == 0 {
		return nil, err
	}
	a := &guichet.Address{}
	err = o.rules([]ruled{
		{rule{"category", "INT_093", 0, categories}, &a.Category},
		{rule{"firstName", "INT_106", 63, nil}, &a.FirstName},
		{rule{"lastName", "INT_107", 63, nil}, &a.LastName},
		{rule{"legalName", "INT_125", 100, nil}, &a.LegalName},
		{rule{"phoneNumber", "INT_077", 32, nil}, &a.Phone},
		{rule{"streetNumber", "INT_114", 64, nil}, &a.StreetNumber},
		{rule{"address", "INT_081", 255, nil}, &a.Street},
		{rule{"address2", "INT_082", 255, nil}, &a.Street2},
		{rule{"district", "INT_115", 127, nil}, &a.District},
		{rule{"zipCode", "INT_085", 64, nil}, &a.ZipCode},
		{rule{"city", "INT_083", 128, nil}, &a.City},
		{rule{"state", "INT_084", 127, nil}, &a.State},
		{rule{"country", "INT_086", 0, letters(2)}, &a.Country},
		{rule{"identityCode", "INT_877", 255, nil}, &a.IdentityCode},
		{rule{"deliveryCompanyName", "INT_096", 127, nil}, &a.Carrier},
		{rule{"shippingMethod", "INT_094", 0, shippingMethods}, &a.ShippingMethod},
		{rule{"shippingSpeed", "INT_095", 0, shippingSpeeds}, &a.ShippingSpeed},
	})
	return a, err
}

// parseCart reads customer.shoppingCart.
func parseCart(req object) (*guichet.Cart, error) {
	customer, err := req.object("customer", "INT_902")
	if err != nil {
		return nil, err
	}
	o, err := customer.object("shoppingCart", "INT_902")
	if err != nil || len(o.fields) == 0 {
		return nil, err
	}
	cart := &guichet.Cart{}
	for _, f := range []struct {
		name, code string
		dst        **int64
	}{{"insuranceAmount", "INT_110", &cart.Insurance}, {"shippingAmount", "INT_109", &cart.Shipping}, {"taxAmount", "INT_108", &cart.Tax}} {
		n, ok, err := o.integer(f.name, f.code)
		if err != nil {
			return nil, err
		}
		if ok {
			if n < 0 {
				return nil, fail(f.code, o.name(f.name)+" may not be negative")
			}
			*f.dst = &n
		}
	}
	items, err := o.objects("cartItemInfo", "INT_902")
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		var item guichet.CartItem
		if err := it.rules([]ruled{
			{rule{"productLabel", "INT_097", 255, nil}, &item.Label},
			{rule{"productType", "INT_098", 0, productTypes}, &item.Type},
			{rule{"productRef", "INT_100", 64, nil}, &item.Ref},
			{rule{"productVat", "INT_203", 12, nil}, &item.VAT},
		}); err != nil {
			return nil, err
		}
		for _, f := range []struct {
			name, code string
			dst        **int64
		}{{"productQty", "INT_101", &item.Qty}, {"productAmount", "INT_102", &item.Amount}} {
			n, ok, err := it.integer(f.name, f.code)
			if err != nil {
				return nil, err
			}
			if ok {
				if n < 0 {
					return nil, fail(f.code, it.name(f.name)+" may not be negative")
				}
				*f.dst = &n
			}
		}
		cart.Items = append(cart.Items, item)
	}
	return cart, nil
}

// parseSubMerchant reads subMerchantDetails, each field in the format of
// Lyra's table: a2 for the country, n4 for the MCC, n..64 for the MID, an
// for the city and the postcode, ans for the rest.
func parseSubMerchant(req object) (*guichet.SubMerchant, error) {
	o, err := req.object("subMerchantDetails", "INT_902")
	if err != nil || len(o.fields) == 0 {
		return nil, err
	}
	sm := &guichet.SubMerchant{}
	mcc := func(s string) bool { return len(s) == 4 && digits(s) }
	err = o.rules([]ruled{
		{rule{"address1", "INT_902", 255, nil}, &sm.Address1},
		{rule{"address2", "INT_902", 255, nil}, &sm.Address2},
		{rule{"city", "INT_902", 128, alphanumeric}, &sm.City},
		{rule{"companyType", "INT_902", 60, nil}, &sm.CompanyType},
		{rule{"country", "INT_902", 0, letters(2)}, &sm.Country},
		{rule{"facilitatorId", "INT_902", 128, nil}, &sm.FacilitatorID},
		{rule{"legalNumber", "INT_902", 24, nil}, &sm.LegalNumber},
		{rule{"mcc", "INT_902", 0, mcc}, &sm.MCC},
		{rule{"mid", "INT_902", 64, digits}, &sm.MID},
		{rule{"name", "INT_902", 255, nil}, &sm.Name},
		{rule{"phoneNumber", "INT_024", 32, alphanumeric}, &sm.Phone},
		{rule{"softDescriptor", "INT_902", 255, nil}, &sm.SoftDescriptor},
		{rule{"state", "INT_902", 128, nil}, &sm.State},
		{rule{"url", "INT_902", 128, nil}, &sm.URL},
		{rule{"zip", "INT_902", 64, alphanumeric}, &sm.Zip},
	})
	return sm, err
}

// parseContent reads what a payment request tells of its buyer and
// purchase.
func parseContent(req object) (guichet.OrderContent, error) {
	var c guichet.OrderContent
	var err error
	if c.Customer, err = parseCustomer(req); err != nil {
		return c, err
	}
	if c.Cart, err = parseCart(req); err != nil {
		return c, err
	}
	if c.SubMerchant, err = parseSubMerchant(req); err != nil {
		return c, err
	}
	meta, err := req.stringMap("metadata", "INT_091")
	if err != nil {
		return c, err
	}
	for _, kv := range meta {
		c.Metadata = append(c.Metadata, guichet.Field{Name: kv[0], Value: kv[1]})
	}
	for _, f := range []struct{ name, code string }{{"contrib", "INT_031"}, {"fingerPrintId", "INT_873"}} {
		s, err := req.str(f.name, f.code, 255)
		if err != nil {
			return c, err
		}
		if s != "" {
			c.Extras = append(c.Extras, guichet.Field{Name: f.name, Value: s})
		}
	}
	return c, nil
}
