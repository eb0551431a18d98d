"""Play a merchant with zeep against the test server of zeep_test.go.

Usage: zeep_client.py WSDL ADDRESS

zeep loads WSDL (a URL or a file), sends each call below to ADDRESS with
whichever binding of the WSDL declares the operation, validates every
answer against the WSDL's schema (strictly: an unexpected element is an
error) and prints one JSON object mapping each operation to its answer.
"""

import json
import sys

import zeep
import zeep.helpers


def main():
    wsdl, address = sys.argv[1], sys.argv[2]
    client = zeep.Client(wsdl)
    services = {}

    def call(op, **kwargs):
        for qname, binding in client.wsdl.bindings.items():
            if op in binding._operations:
                if qname not in services:
                    services[qname] = client.create_service(qname, address)
                return getattr(services[qname], op)(**kwargs)
        raise KeyError(op)

    payment = {"amount": "1250", "currency": "978", "action": "101", "mode": "CPT", "contractNumber": "1234567"}
    order = {
        "ref": "A-17",
        "amount": "1250",
        "currency": "978",
        "date": "24/03/2025 14:05",
        "details": {"details": [{"ref": "SKU-1", "price": "1000"}, {"ref": "SKU-2", "price": "250"}]},
    }
    answers = {
        "doWebPayment": call(
            "doWebPayment",
            version="34",
            payment=payment,
            returnURL="https://shop.example/return?a=1&b=2",
            cancelURL="https://shop.example/cancel",
            order=order,
            selectedContractList={"selectedContract": ["1234567", "PAYCONIQ_MNXT"]},
            privateDataList={"privateData": [{"key": "cart", "value": "17"}]},
            buyer={"lastName": "Martin", "shippingAdress": {"cityName": "Lyon"}},
        ),
        "getWebPaymentDetails": call("getWebPaymentDetails", version="34", token="T1"),
        "doAuthorization": call(
            "doAuthorization",
            version="34",
            payment=payment,
            bankAccountData={},
            card={"number": "4970101122334455", "type": "CB", "expirationDate": "1230", "cvx": "123"},
            order=order,
        ),
        "getMerchantSettings": call("getMerchantSettings", version="34"),
        "getBalance": call("getBalance", version="34", cardID="C1", contractNumber="1234567"),
        "transactionsSearch": call(
            "transactionsSearch", version="34", startDate="01/03/2025", endDate="31/03/2025"
        ),
        "getAlertDetails": call("getAlertDetails", version="34", AlertId="998587002", TransactionId="T1"),
    }
    out = {op: zeep.helpers.serialize_object(answer, dict) for op, answer in answers.items()}
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main()
