/*
 * SOAP 1.2 for the ONVIF client (ptz/onvif.c), internal to ptz/: envelopes
 * built as libxml2 trees, the WS-Security UsernameToken they carry, and
 * readers of the answers that go by namespace URI and local name, so that
 * any prefix a camera picks reads the same.
 *
 * Ownership: a request owns its document (soap_request_finish frees it);
 * nodes returned by the readers belong to the document they were found in.
 * Threads: none of its own; any thread, one document per thread.
 */
#ifndef WALL_PTZ_SOAP_H
#define WALL_PTZ_SOAP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libxml/tree.h>

#define SOAP_NS_ENV    "http://www.w3.org/2003/05/soap-envelope"
#define SOAP_NS_DEVICE "http://www.onvif.org/ver10/device/wsdl"
#define SOAP_NS_MEDIA  "http://www.onvif.org/ver10/media/wsdl"
#define SOAP_NS_PTZ    "http://www.onvif.org/ver20/ptz/wsdl"
#define SOAP_NS_SCHEMA "http://www.onvif.org/ver10/schema"

struct soap_request {
    xmlDocPtr doc;
    xmlNodePtr action; /* the Body's one element, e.g. tptz:ContinuousMove */
    xmlNsPtr ns;       /* the action's namespace */
    xmlNsPtr schema;   /* tt:, for the types the action's children carry */
};

/* An envelope whose Body holds the element `name` of namespace `ns_uri`
 * (written with `prefix`). False when out of memory. */
bool soap_request_init(struct soap_request *r, const char *ns_uri, const char *prefix,
                       const char *name);
void soap_request_finish(struct soap_request *r);

/* A child of `parent` in the action's namespace holding `text` (escaped
 * by libxml2). NULL when out of memory. */
xmlNodePtr soap_add(struct soap_request *r, xmlNodePtr parent, const char *name, const char *text);

/* Adds a Header with a WS-Security UsernameToken: PasswordDigest =
 * Base64(SHA-1(nonce + created + password)), a fresh random 16-byte nonce,
 * Created = `created` (the camera's clock) in UTC. False when no random
 * bytes or no memory. */
bool soap_add_security(struct soap_request *r, const char *username, const char *password,
                       time_t created);

/* A speed, clamped to -1..1 (NaN: 0), as an xs:float whatever the
 * locale: "-0.2500". */
void soap_format_speed(double v, char *buf, size_t size);
/* Milliseconds as an xs:duration: "PT5S", "PT1.5S". */
void soap_format_duration(long ms, char *buf, size_t size);

/* The envelope as UTF-8 text; free it with xmlFree(). NULL when out of memory. */
xmlChar *soap_request_text(const struct soap_request *r, int *size);

/* Whether `node` is the element `name` of namespace `ns_uri`. */
bool soap_is(xmlNodePtr node, const char *ns_uri, const char *name);
/* The first element child of `parent` named `name` in namespace `ns_uri`. */
xmlNodePtr soap_child(xmlNodePtr parent, const char *ns_uri, const char *name);
/* The first such element below `parent`, at any depth (depth first). */
xmlNodePtr soap_find(xmlNodePtr parent, const char *ns_uri, const char *name);
/* The first element child of the answer's Body; NULL when the document is
 * not a SOAP 1.2 envelope. */
xmlNodePtr soap_body_element(xmlDocPtr doc);

/* The text of `node` (white space trimmed) into buf; "" for NULL. */
const char *soap_text(xmlNodePtr node, char *buf, size_t size);
/* The value of attribute `name` (no namespace) into buf; "" when absent. */
const char *soap_attribute(xmlNodePtr node, const char *name, char *buf, size_t size);

/* For a Fault element: whether any of its Code's (nested) Subcode values
 * has the local name `subcode` (whatever its prefix). */
bool soap_fault_has(xmlNodePtr fault, const char *subcode);
/* The Fault's Reason text into buf. */
const char *soap_fault_reason(xmlNodePtr fault, char *buf, size_t size);

#endif
