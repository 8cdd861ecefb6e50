"""The TAXII 2.1 server's protocol: discovery, the API root, collections, envelopes, manifests, status.

``protocol`` holds the wire rules (media type, timestamps, ``next`` tokens, match filters, error
messages), ``collections`` the collections this instance serves (declared in
``data/collections.json``), ``objects`` the view of the store a collection is (what a viewer may
read, in ``date_added`` order, as STIX 2.1 objects), ``service`` the endpoints as library
functions and ``status`` the status resources of "add objects" requests. The routes in
``vigil.api.routers.taxii`` only call ``service``.
"""
