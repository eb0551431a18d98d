"""Play a merchant's integration with zeep against a running guichet.

Usage: zeep_merchant.py WSDL BASE SCENARIO...

zeep loads WSDL (guichet's ?wsdl or Payline's own file) and calls each
service at BASE/V4/services/<service>, validating every answer against
the schema. The buyer's part of a web payment (the hosted page) is played
with plain HTTP form posts, as a browser would send them. The script
prints one JSON object with what each scenario saw, for the Go test to
check.
"""

import html
import json
import re
import sys
import urllib.parse
import urllib.request

import requests
import zeep
import zeep.helpers
from zeep.transports import Transport

MERCHANT, ACCESS_KEY = "12345678912345", "DEMOACCESSKEY1234567"


def main():
    wsdl, base = sys.argv[1], sys.argv[2]
    session = requests.Session()
    session.auth = (MERCHANT, ACCESS_KEY)
    client = zeep.Client(wsdl, transport=Transport(session=session))
    services = {}

    def call(service, op, **kwargs):
        # Each WSDL declares every operation on each binding; the call goes
        # to the service the SDKs route it to.
        for qname, binding in client.wsdl.bindings.items():
            if op in binding._operations:
                key = (qname, service)
                if key not in services:
                    services[key] = client.create_service(qname, base + "/V4/services/" + service)
                answer = getattr(services[key], op)(**kwargs)
                return zeep.helpers.serialize_object(answer, dict)
        raise KeyError(op)

    scenarios = {
        "web": lambda: web_payment(call, base),
        "direct": lambda: direct_cycle(call),
        "payconiq": lambda: payconiq(call, base),
        "wallet": lambda: wallet_payment(call),
    }
    out = {name: scenarios[name]() for name in sys.argv[3:]}
    print(json.dumps(out, default=str))


def order(ref, amount):
    return {"ref": ref, "amount": amount, "currency": "978", "date": "23/11/2026 11:00", "country": "BE"}


def payment(amount, action, contract):
    return {"amount": amount, "currency": "978", "action": action, "mode": "CPT", "contractNumber": contract}


def page_fields(body):
    fields = {}
    for m in re.finditer(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body):
        fields[m.group(1)] = html.unescape(m.group(2))
    return fields


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(url, fields):
    data = urllib.parse.urlencode(fields).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, data) as r:
            return r.read().decode()
    except urllib.error.HTTPError as e:
        return e.headers.get("Location", "")


def get(url):
    with urllib.request.urlopen(url) as r:
        return r.read().decode()


def web_payment(call, base):
    res = call("WebPaymentAPI", "doWebPayment", version="34", payment=payment("2500", "101", "1234567"),
               returnURL="https://shop.example/return", cancelURL="https://shop.example/cancel",
               order=order("ZEEP-WEB", "2500"), notificationURL="https://shop.example/notify",
               buyer={"lastName": "Martin", "firstName": "Alice", "email": "alice@example.net"},
               privateDataList={"privateData": [{"key": "cart", "value": "7"}]})
    token = res["token"]
    before = call("WebPaymentAPI", "getWebPaymentDetails", version="34", token=token)["result"]["code"]
    page = get(res["redirectURL"])
    fields = page_fields(page)
    fields["method"] = "1234567:CB"
    page = post(base + "/webpayment/v2/choose", fields)
    fields = page_fields(page)
    fields.update({"number": "4970101122334455", "expiry": "12/30", "cvv": "123"})
    page = post(base + "/webpayment/v2/card", fields)
    fields = page_fields(page)
    fields["otp"] = "1234"
    post(base + "/webpayment/v2/3ds", fields)
    d = call("WebPaymentAPI", "getWebPaymentDetails", version="34", token=token)
    return {"create": res["result"]["code"], "before": before, "after": d["result"]["code"],
            "transaction": d["transaction"]["id"], "card": d["card"]["number"], "order": d["order"]["ref"],
            "private": d["privateDataList"]["privateData"][0]["value"]}


def direct_cycle(call):
    card = {"number": "4970101122334471", "type": "CB", "expirationDate": "1230", "cvx": "123"}
    auth = call("DirectPaymentAPI", "doAuthorization", version="34", payment=payment("1000", "100", "1234567"),
                card=card, order=order("ZEEP-DIRECT", "1000"), bankAccountData={})
    tid = auth["transaction"]["id"]
    capture = call("DirectPaymentAPI", "doCapture", version="34", transactionID=tid,
                   payment=payment("1000", "201", "1234567"))
    refund = call("DirectPaymentAPI", "doRefund", version="34", transactionID=tid,
                  payment=payment("400", "421", "1234567"))
    details = call("ExtendedAPI", "getTransactionDetails", version="34", transactionId=tid)
    types = [a["type"] for a in details["associatedTransactionsList"]["associatedTransactions"]]
    refused = call("DirectPaymentAPI", "doAuthorization", version="34", payment=payment("33305", "101", "1234567"),
                   card=card, order=order("ZEEP-REFUSED", "33305"), bankAccountData={})
    return {"authorize": auth["result"]["code"], "capture": capture["result"]["code"],
            "refund": refund["result"]["code"], "details": details["result"]["code"], "types": types,
            "refused": refused["result"]["code"]}


def payconiq(call, base):
    res = call("WebPaymentAPI", "doWebPayment", version="34", payment=payment("1500", "101", "PAYCONIQFP"),
               returnURL="https://shop.example/return", cancelURL="https://shop.example/cancel",
               order=order("ZEEP-PAYCONIQ", "1500"), buyer={"lastName": "Doe", "firstName": "John"})
    page = get(res["redirectURL"])
    fields = page_fields(page)
    fields["outcome"] = "pay"
    post(base + "/webpayment/v2/partner", fields)
    d = call("WebPaymentAPI", "getWebPaymentDetails", version="34", token=res["token"])
    refund = call("DirectPaymentAPI", "doRefund", version="34", transactionID=d["transaction"]["id"],
                  payment=payment("1500", "421", "PAYCONIQFP"))
    return {"code": d["result"]["code"], "partner": d["transaction"]["partnerAdditionalData"],
            "bank": d["bankAccountData"]["bankCode"], "buyer": d["buyer"]["lastName"],
            "refund": refund["result"]["code"]}


def wallet_payment(call):
    card = {"number": "4970101122334455", "type": "CB", "expirationDate": "1230", "cvx": "123"}
    created = call("DirectPaymentAPI", "createWallet", version="34", contractNumber="1234567",
                   wallet={"walletId": "ZEEP-W1", "lastName": "Martin", "firstName": "Alice", "card": card})
    paid = call("DirectPaymentAPI", "doImmediateWalletPayment", version="34", payment=payment("990", "101", "1234567"),
                order=order("ZEEP-WALLET", "990"), walletId="ZEEP-W1")
    return {"create": created["result"]["code"], "pay": paid["result"]["code"]}


if __name__ == "__main__":
    main()
