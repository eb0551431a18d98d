// Package soap is the wire schema of Monext Payline's SOAP API: the
// requests and answers of the 42 operations of WebPaymentAPI,
// DirectPaymentAPI and ExtendedAPI, their reading and writing as SOAP 1.1
// document/literal envelopes, and the WSDL describing them.
//
// Merchants talk to Payline through SOAP stacks generated from Monext's
// WSDL (JAX-WS, PHP's SoapClient, zeep, node-soap), and the strict ones
// map an answer's elements by name and position. So the types here follow
// the WSDL element by element: one struct per complex type and per
// request or answer, fields in the order of the schema's sequences, Go
// names for Go readers and the wire names, misspellings included
// (shippingAdress, transactionID beside transactionId), in the tags.
// Every value is a string, as on the wire; an object is a pointer, nil
// when absent; a repeated element is a slice.
//
// The struct tags are the schema (see schema.go for their syntax): they
// say which elements are optional or nillable, how often a list may
// repeat and which scalars are not xsd:string. Marshal, DecodeRequest and
// WSDL all read them, so what the WSDL promises is what goes on the wire,
// and the tests compare the generated WSDL with Monext's declaration by
// declaration.
//
// Reading is tolerant, because clients differ: elements are matched by
// local name whatever their prefix, unknown elements are skipped, and
// xsi:nil or empty elements are simply absent. Writing is strict, because
// clients validate: Payline's prefixes (impl: for the direct children of
// a message, obj: inside objects), the schema's order, and every required
// element present, nil or empty.
//
// The package knows nothing of shops, transactions or result codes: the
// Payline front fills these types from the core and decides what to
// answer.
package soap
