/*
 * The MQTT broker of a wall driven by several stations: `broker`,
 * `broker_credentials`, `broker_tls` and `id` in the `wall = { ... }` group
 * of the full format, read into layout_wall.broker. Internal to layouts/.
 *
 * controls.c reads the `wall` group with one table (so that its unknown
 * settings are warned about in one place) and hands the broker's values to
 * layout_broker_read(), after the credentials are read: the broker's user
 * name and password come from the entry `broker_credentials` names and are
 * copied into the model, never shown in a message.
 *
 * The address is mqtt://HOST[:PORT] or mqtts://HOST[:PORT] and nothing
 * more: a user name or password in it is refused (they belong in a
 * credentials entry), and so is a path, which the broker would ignore.
 * Messages show the scheme and the port, never the rest of the address.
 *
 * Threads: one load, one thread.
 */
#ifndef WALL_LAYOUTS_BROKER_H
#define WALL_LAYOUTS_BROKER_H

#include "layouts/load.h"

#define LAYOUT_BROKER_PORT     1883 /* mqtt:// without a port */
#define LAYOUT_BROKER_TLS_PORT 8883 /* mqtts:// without a port */

/* The broker's settings as the `wall` table read them (pointing into the
 * config_t); NULL: not written, or invalid (already reported). */
struct layout_broker_values {
    const char *url;
    const char *credentials; /* the id of a credentials entry */
    const config_setting_t *tls;
    const char *wall_id;
};

/*
 * Checks the values read from `group` (the `wall` group, or NULL when the
 * file has none) and fills load->wall->broker. Without `broker` it stays
 * empty, and each of its companions written gets a warning: it does
 * nothing alone.
 */
void layout_broker_read(struct load *load, const config_setting_t *group,
                        const struct layout_broker_values *v);

#endif
