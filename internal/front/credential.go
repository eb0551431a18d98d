package front

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"

	"guichet"
)

// DecodeAccount reads an account's fields as a user edited them: one JSON
// object of the account type A, whose unknown fields are refused, so that
// a mistyped field name is said rather than silently dropped.
func DecodeAccount[A any](data []byte) (*A, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a A
	if err := dec.Decode(&a); err != nil {
		return nil, Invalid("", "the credential is not an account's fields in JSON: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Invalid("", "the credential is one JSON object, with nothing after it")
	}
	return &a, nil
}

// Account is what a front's account type offers for its credential to be
// edited: the rules its provider's administration pages apply, and the
// credential a shop holds.
type Account[A any] interface {
	*A
	Check() error
	Credential() guichet.Credential
}

// ReadCredential reads an account of type A as a user edited it
// (DecodeAccount), checks it, and returns its credential: what a front's
// ReadCredential does. A rule's error that names no field says what is
// wrong all the same.
func ReadCredential[A any, P Account[A]](data []byte) (guichet.Credential, error) {
	a, err := DecodeAccount[A](data)
	if err != nil {
		return guichet.Credential{}, err
	}
	if err := P(a).Check(); err != nil {
		var ge *guichet.Error
		if !errors.As(err, &ge) {
			err = Invalid("", err.Error())
		}
		return guichet.Credential{}, err
	}
	return P(a).Credential(), nil
}

// Invalid is a credential field a user set wrong.
func Invalid(field, msg string) error {
	return &guichet.Error{Code: guichet.CodeInvalid, Param: field, Message: msg}
}

// CheckURL refuses a URL a notification or a return could not be sent to:
// one that is not absolute http or https. An empty one is left to the
// caller, for whom it may mean "none".
func CheckURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Invalid(field, fmt.Sprintf("%s: %q is not an http or https URL", field, raw))
	}
	return nil
}
