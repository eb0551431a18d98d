package backoffice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/core"
)

// The shop page: its clock and the work to come, its reset, its contract
// settings and its protocols' credentials.

type shopData struct {
	Shop   *guichet.Shop
	Now    string
	Offset string
	Ran    string
	Error  string
	// Saved says the settings were just saved; SettingsError is why
	// they were not.
	Saved         bool
	SettingsError string
	// Reset is how many transactions a reset just forgot; ResetError
	// why the shop was not reset.
	Reset, ResetError string
	Credentials       []credential
	// edited is a credential whose edit was refused, shown as the user
	// wrote it with the reason.
	edited *credential
	// SavedCredential names the protocol whose credential was just saved.
	SavedCredential string
	// Upcoming is the work to come, which advancing the clock runs.
	Upcoming []upcoming
	// Audit is what back-office users did to the shop and its payments,
	// newest first.
	Audit []guichet.AuditEntry
}

type upcoming struct {
	Due, Kind, Reference, TransactionID string
}

// credential is a protocol's credential as the shop page shows it: its
// fields, indented, for a user to edit; Error is why an edit was refused.
type credential struct{ Protocol, Key, Data, Error string }

// upcomingShown is how many jobs to come the shop page lists, and
// auditShown how many of the latest audit entries.
const (
	upcomingShown = 50
	auditShown    = 50
)

// shop shows a shop's clock and, for a TEST shop, the form that advances
// it.
func (o *Office) shop(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	q := v.r.URL.Query()
	o.showShop(v, shopData{Shop: shop, Ran: q.Get("ran"), Saved: q.Has("saved"), Reset: q.Get("reset"),
		SavedCredential: q.Get("credential")}, 0)
	return nil
}

func (o *Office) visibleShop(v *visit) (*guichet.Shop, error) {
	shop, err := o.svc.ShopByID(v.ctx, v.r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !v.user.Sees(shop.ID) {
		return nil, guichet.Errorf(guichet.CodeNotFound, "no such shop")
	}
	return shop, nil
}

func (o *Office) showShop(v *visit, d shopData, status int) {
	d.Now = o.svc.Now(d.Shop).In(o.svc.Paris()).Format("2006-01-02 15:04:05")
	jobs, err := o.svc.Upcoming(v.ctx, d.Shop, upcomingShown)
	if err != nil {
		o.fail(v, err)
		return
	}
	if d.Audit, err = o.svc.ShopAudit(v.ctx, d.Shop.ID, auditShown); err != nil {
		o.fail(v, err)
		return
	}
	for _, j := range jobs {
		d.Upcoming = append(d.Upcoming, upcoming{Due: j.DueAt.In(o.svc.Paris()).Format("2006-01-02 15:04:05"),
			Kind: texts[v.lang]["job."+j.Kind], Reference: j.Reference, TransactionID: j.TransactionID})
		if d.Upcoming[len(d.Upcoming)-1].Kind == "" {
			d.Upcoming[len(d.Upcoming)-1].Kind = j.Kind
		}
	}
	d.Offset = d.Shop.ClockOffset.String()
	for _, c := range d.Shop.Credentials {
		if d.edited != nil && d.edited.Protocol == c.Protocol {
			d.Credentials = append(d.Credentials, *d.edited)
			continue
		}
		var b bytes.Buffer
		if json.Indent(&b, c.Data, "", "  ") != nil {
			b.Reset()
			b.Write(c.Data)
		}
		d.Credentials = append(d.Credentials, credential{Protocol: c.Protocol, Key: c.Key, Data: b.String()})
	}
	o.render(v, "shop", d, status)
}

// reset forgets everything a TEST shop did, once the user confirmed it.
func (o *Office) reset(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	if v.r.PostFormValue("confirm") != "on" {
		o.showShop(v, shopData{Shop: shop, ResetError: texts[v.lang]["confirmReset"]}, http.StatusBadRequest)
		return nil
	}
	n, err := o.svc.ResetShop(v.ctx, shop.ID)
	if guichet.ErrorCode(err) == guichet.CodeConflict {
		o.showShop(v, shopData{Shop: shop, ResetError: guichet.ErrorMessage(err)}, http.StatusConflict)
		return nil
	}
	if err != nil {
		return err
	}
	if err := o.record(v, shop.ID, "", "reset", fmt.Sprintf("%d transactions forgotten", n)); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, fmt.Sprintf("/backoffice/shops/%s?reset=%d", shop.ID, n), http.StatusSeeOther)
	return nil
}

// credential saves a protocol's credential as the user edited it, once
// the protocol's front has read and checked it.
func (o *Office) credential(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	protocol, data := v.r.PathValue("protocol"), v.r.PostFormValue("data")
	saved, err := o.svc.EditCredential(v.ctx, shop.ID, protocol, []byte(data))
	if c := guichet.ErrorCode(err); c == guichet.CodeInvalid || c == guichet.CodeConflict {
		o.showShop(v, shopData{Shop: shop, edited: &credential{Protocol: protocol, Data: data, Error: guichet.ErrorMessage(err)}},
			http.StatusBadRequest)
		return nil
	}
	if err != nil {
		return err
	}
	// The audit names the key, never the secrets beside it.
	if err := o.record(v, shop.ID, "", "credential", protocol+" "+saved.Credential(protocol).Key); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, "/backoffice/shops/"+shop.ID+"?credential="+url.QueryEscape(protocol), http.StatusSeeOther)
	return nil
}

// settings saves a shop's contract settings.
func (o *Office) settings(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	number := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v.r.PostFormValue(name)))
		if err != nil {
			return -1 // refused by the core's bounds, with the field's name
		}
		return n
	}
	set := core.ShopSettings{CaptureDelay: number("capture_delay"), AutoCaptureDays: number("auto_capture_days"),
		NotifyAttempts: number("notify_attempts"), ThreeDS: v.r.PostFormValue("three_ds") == "on",
		RequireCVV: v.r.PostFormValue("require_cvv") == "on"}
	_, err = o.svc.SetShopSettings(v.ctx, shop.ID, set)
	if guichet.ErrorCode(err) == guichet.CodeInvalid {
		o.showShop(v, shopData{Shop: shop, SettingsError: guichet.ErrorMessage(err)}, http.StatusBadRequest)
		return nil
	}
	if err != nil {
		return err
	}
	if err := o.record(v, shop.ID, "", "settings", fmt.Sprintf("%+v", set)); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, "/backoffice/shops/"+shop.ID+"?saved", http.StatusSeeOther)
	return nil
}

// advanceClock moves a TEST shop's clock forward and runs what became due.
func (o *Office) advanceClock(v *visit) error {
	shop, err := o.visibleShop(v)
	if err != nil {
		return err
	}
	by, err := time.ParseDuration(strings.TrimSpace(v.r.PostFormValue("by")))
	if err != nil || by <= 0 || by > 400*24*time.Hour {
		o.showShop(v, shopData{Shop: shop, Error: texts[v.lang]["badDuration"]}, http.StatusBadRequest)
		return nil
	}
	_, ran, err := o.svc.AdvanceClock(v.ctx, shop.ID, by)
	if c := guichet.ErrorCode(err); c == guichet.CodeInvalid || c == guichet.CodeConflict {
		o.showShop(v, shopData{Shop: shop, Error: guichet.ErrorMessage(err)}, http.StatusConflict)
		return nil
	}
	if err != nil {
		return err
	}
	if err := o.record(v, shop.ID, "", "clock", fmt.Sprintf("advanced by %s, %d jobs ran", by, ran)); err != nil {
		return err
	}
	http.Redirect(v.w, v.r, fmt.Sprintf("/backoffice/shops/%s?ran=%d", shop.ID, ran), http.StatusSeeOther)
	return nil
}
