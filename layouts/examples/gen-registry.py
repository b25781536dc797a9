#!/usr/bin/python3
"""Writes a realistic camera registry for the C5 example wall (c5-registry.cfg).

    gen-registry.py                      # 2,900 SSC + 1,850 Guardians 911 cameras
    gen-registry.py --count 5000 -o big.cfg   # the same mix, 5,000 cameras

The output is deterministic: every camera is drawn from a random generator
seeded by its own number, so camera 5123 is the same in every file that has
it, whatever --count says. The first cameras of each programme are named
places the example wall shows on its pages; they are always active.

    gen-registry.py --verify c5-registry.cfg  # exit 1 if the file is not what
                                              # this script writes (a test runs it)

SSC (state police) cameras are numbered from 101 to 4999 (then from
100001), Guardianes 911 (private cameras of banks, hospitals, churches,
shops and homes) from 5001. Every
home camera and about a third of the shops carry privacy masks. About 2.5%
of the cameras are suspended and 1.5% removed. Stream paths follow the usual
NVR and camera brands (Hikvision, Dahua, Axis, Hanwha, Uniview,
Milesight). Credentials are named by id; c5-credentials.cfg holds them.
"""

import argparse
import random
import sys

SSC_FIRST = 101
SSC_LAST = 4999  # then SSC_MORE onwards, clear of the Guardians numbers
SSC_MORE = 100001
GUARDIANS_FIRST = 5001
GUARDIANS_LAST = 99999
SSC_SHARE = 2900 / 4750

# Named SSC cameras shown on the example wall's pages (101 onwards).
SSC_NAMED = [
    "Av. Tulum y Av. Cobá", "Av. Tulum y Av. Uxmal", "Av. Tulum y Av. Chichén Itzá",
    "Crucero, Av. López Portillo y Av. Tulum", "Mercado 28, Av. Sunyaxchén",
    "Av. Yaxchilán y Av. Sunyaxchén", "Parque de las Palapas", "Terminal ADO Centro",
    "Av. Bonampak y Av. Nichupté", "Blvd. Kukulcán km 4, Puente Calinda",
    "Blvd. Kukulcán km 9, Punta Cancún", "Blvd. Kukulcán km 9.5, zona de antros",
    "Blvd. Kukulcán km 12, Plaza Kukulcán", "Blvd. Kukulcán km 14",
    "Blvd. Kukulcán km 18, Playa Delfines", "Blvd. Kukulcán km 20, Punta Nizuc",
    "Malecón Tajamar", "Puerto Juárez, muelle de pasajeros", "Av. Kabah y Av. Chac Mool",
    "Av. Kabah y Av. Talleres", "Av. Andrés Quintana Roo y Av. Kabah",
    "Av. Xcaret y Av. Yaxchilán", "Av. Chac Mool y Av. La Luna",
    "Blvd. Colosio, acceso al Aeropuerto", "Blvd. Colosio y Av. Huayacán",
    "Av. Huayacán y Av. Las Torres", "Av. Las Torres y Av. Tulum",
    "Av. López Portillo y Av. Kabah", "Av. López Portillo, Villas Otoch",
    "Av. López Portillo, Alfredo V. Bonfil", "Av. Niños Héroes y Av. 20 de Noviembre",
    "Av. Rancho Viejo y Av. López Portillo", "Av. Miguel Hidalgo y Av. Leona Vicario",
    "Av. Chac Mool y Av. Andrés Quintana Roo", "Av. Cobá y Av. Carlos J. Nader",
    "Av. Nader y Av. Uxmal", "Glorieta del Ceviche, Av. Bonampak",
    "Av. Tulum, Palacio Municipal", "Av. Politécnico y Av. Tulum",
    "Aeropuerto, Terminal 2, llegadas",
]

# Named Guardians cameras (5001 onwards): (site, name).
GUARDIANS_NAMED = [
    ("bank", "BBVA Av. Tulum"), ("bank", "Banorte Av. Cobá"),
    ("bank", "Santander Plaza Las Américas"), ("bank", "HSBC Av. Yaxchilán"),
    ("bank", "Citibanamex Av. Kabah"), ("bank", "Scotiabank Av. Bonampak"),
    ("bank", "Banco Azteca Av. López Portillo"), ("bank", "Banregio Av. Nichupté"),
    ("hospital", "Hospital General de Cancún, urgencias"),
    ("hospital", "IMSS HGZ 3, acceso principal"), ("hospital", "Hospital Galenia, Av. Tulum"),
    ("hospital", "Hospiten, Av. Bonampak"), ("hospital", "Cruz Roja, Av. Yaxchilán"),
    ("religious", "Parroquia de Cristo Rey, Av. Tulum"),
    ("religious", "Parroquia de Guadalupe, SM 61"),
    ("religious", "Templo de San Judas Tadeo, R. 96"),
    ("commercial", "Farmacias del Ahorro, Av. Kabah"), ("commercial", "OXXO Av. Chac Mool"),
    ("commercial", "Chedraui Selecto Malecón"), ("commercial", "Soriana Av. Kabah"),
    ("commercial", "Ferretería El Clavo, Av. Talleres"),
    ("commercial", "Tortillería La Maya, R. 96"),
    ("commercial", "Plaza Las Américas, estacionamiento"),
    ("school", "Escuela Primaria Benito Juárez, SM 22"),
    ("school", "Secundaria Técnica 18, Av. Kabah"),
    ("home", "Domicilio, Calle Jacarandas, SM 50"), ("home", "Domicilio, Calle Tulipanes, SM 25"),
    ("home", "Domicilio, Calle Margaritas, R. 94"), ("home", "Domicilio, Calle Claveles, SM 63"),
    ("commercial", "Abarrotes Doña Lupita, Av. Ruta 4"),
]

AVENUES = [
    "Av. Tulum", "Av. Cobá", "Av. Uxmal", "Av. Bonampak", "Av. Nichupté", "Av. Kabah",
    "Av. Chichén Itzá", "Av. López Portillo", "Av. Andrés Quintana Roo", "Av. Xcaret",
    "Av. Yaxchilán", "Av. Sayil", "Av. Labná", "Av. Chac Mool", "Av. Huayacán",
    "Av. Talleres", "Av. 20 de Noviembre", "Av. La Luna", "Av. Politécnico",
    "Av. Leona Vicario", "Av. Miguel Hidalgo", "Av. Palenque", "Av. Torcasitas",
    "Av. Las Torres", "Av. Niños Héroes", "Av. Rancho Viejo", "Av. Carlos J. Nader",
    "Av. Sunyaxchén", "Av. Tankah", "Av. Xpuhil", "Av. Kohunlich", "Av. Mayapán",
    "Av. Holbox", "Av. Cozumel", "Av. Jacinto Canek", "Av. 135", "Av. 125", "Av. Ruta 4",
    "Av. Ruta 5", "Av. Guayacán", "Av. Arco Norte", "Av. Puerto Juárez", "Blvd. Colosio",
]
STREETS = [
    "Calle Jacarandas", "Calle Tulipanes", "Calle Claveles", "Calle Margaritas",
    "Calle Gladiolas", "Calle Azucenas", "Calle Orquídeas", "Calle Nardos", "Calle Cedro",
    "Calle Caoba", "Calle Ceiba", "Calle Chechén", "Calle Pargo", "Calle Mero",
    "Calle Huachinango", "Calle Robalo", "Calle Flamingos", "Calle Tucán", "Calle Cenzontle",
    "Calle Quetzal", "Calle Agua", "Calle Sol", "Calle Luna", "Calle Piña",
    "Calle Ramón Bravo", "Calle Nicté-Ha", "Calle Chacá", "Calle Sac-Bé",
]
BANKS = ["BBVA", "Banorte", "Santander", "HSBC", "Citibanamex", "Scotiabank", "Banco Azteca",
         "Banregio", "Inbursa", "Banco del Bienestar", "BanCoppel", "Afirme"]
HOSPITALS = ["Clínica", "Consultorio médico", "Hospital", "Centro de salud", "Laboratorio",
             "Clínica dental", "Farmacia con consultorio"]
CHURCHES = ["Parroquia", "Capilla", "Templo", "Iglesia", "Salón del Reino",
            "Iglesia Bautista", "Centro cristiano"]
SHOPS = ["OXXO", "Farmacias del Ahorro", "Farmacias Similares", "Abarrotes", "Tortillería",
         "Ferretería", "Papelería", "Lavandería", "Taller mecánico", "Refaccionaria",
         "Carnicería", "Panadería", "Frutería", "Tienda de conveniencia", "Gasolinera",
         "Restaurante", "Taquería", "Hotel", "Mueblería", "Estética"]
SCHOOLS = ["Escuela Primaria", "Jardín de niños", "Secundaria", "Preparatoria",
           "Colegio", "Universidad, acceso"]
SAINTS = ["San José", "San Judas Tadeo", "Guadalupe", "Cristo Rey", "San Francisco de Asís",
          "La Asunción", "Santa Cruz", "San Miguel Arcángel", "El Carmen"]

GUARDIANS_SITES = [("home", 35), ("commercial", 35), ("bank", 8), ("religious", 7),
                   ("hospital", 5), ("school", 10)]


def district(rng):
    if rng.random() < 0.6:
        return "SM %d" % rng.randint(2, 260)
    return "R. %d" % rng.randint(90, 259)


def ssc_name(rng):
    kind = rng.random()
    if kind < 0.55:
        a, b = rng.sample(AVENUES, 2)
        return "%s y %s" % (a, b)
    if kind < 0.7:
        km = rng.randint(3, 24) + rng.choice([0, 0.5])
        return "Blvd. Kukulcán km %g" % km
    if kind < 0.9:
        return "%s y %s, %s" % (rng.choice(AVENUES), rng.choice(STREETS), district(rng))
    return "%s, %s" % (rng.choice(AVENUES), district(rng))


def guardians_name(rng, site):
    where = "%s, %s" % (rng.choice(AVENUES + STREETS), district(rng))
    if site == "home":
        return "Domicilio, %s, %s" % (rng.choice(STREETS), district(rng))
    if site == "bank":
        return "%s %s" % (rng.choice(BANKS), rng.choice(AVENUES))
    if site == "hospital":
        return "%s, %s" % (rng.choice(HOSPITALS), where)
    if site == "religious":
        church = rng.choice(CHURCHES)
        if church in ("Parroquia", "Capilla", "Templo", "Iglesia"):
            church = "%s de %s" % (church, rng.choice(SAINTS))
        return "%s, %s" % (church, where)
    if site == "school":
        return "%s, %s" % (rng.choice(SCHOOLS), where)
    return "%s, %s" % (rng.choice(SHOPS), where)


def pick_site(rng):
    roll = rng.uniform(0, sum(w for _, w in GUARDIANS_SITES))
    for site, weight in GUARDIANS_SITES:
        roll -= weight
        if roll <= 0:
            return site
    return GUARDIANS_SITES[-1][0]


def streams(rng, host, brand, channel):
    """Main and sub stream URLs of a camera (or an NVR channel) of that brand."""
    if brand == "hik":
        base = "rtsp://%s:554/Streaming/Channels/%d" % (host, channel)
        return base + "01", base + "02"
    if brand == "dahua":
        base = "rtsp://%s:554/cam/realmonitor?channel=%d&subtype=" % (host, channel)
        return base + "0", base + "1"
    if brand == "axis":
        base = "rtsp://%s/axis-media/media.amp?videocodec=h264&resolution=" % host
        return base + "1920x1080", base + "640x360"
    if brand == "hanwha":
        return ("rtsp://%s:554/profile2/media.smp" % host,
                "rtsp://%s:554/profile3/media.smp" % host)
    if brand == "uniview":
        return ("rtsp://%s:554/unicast/c%d/s0/live" % (host, channel),
                "rtsp://%s:554/unicast/c%d/s1/live" % (host, channel))
    return "rtsp://%s:554/main" % host, "rtsp://%s:554/sub" % host


def status(rng, named):
    roll = rng.random()
    if named or roll >= 0.045:
        return "active"
    return "suspended" if roll < 0.03 else "removed"


def rect(rng):
    # In hundredths, so that x + w and y + h stay within the picture once printed.
    x, y = rng.randint(0, 60), rng.randint(0, 50)
    w, h = rng.randint(15, 100 - x), rng.randint(15, 100 - y)
    return "[%.2f, %.2f, %.2f, %.2f]" % (x / 100, y / 100, w / 100, h / 100)


def polygon(rng):
    # A window or a neighbour's gate seen at an angle: a quadrilateral.
    x, y = rng.uniform(0.05, 0.6), rng.uniform(0.05, 0.5)
    w, h = rng.uniform(0.1, 0.35), rng.uniform(0.1, 0.4)
    skew = rng.uniform(-0.05, 0.05)
    points = [(x, y), (x + w, y + skew), (x + w, y + h + skew), (x, y + h)]
    clamp = lambda v: min(max(v, 0.0), 1.0)
    return "( %s )" % ", ".join("[%.2f, %.2f]" % (clamp(a), clamp(b)) for a, b in points)


def masks(rng, site):
    if site == "home":
        shapes = [rect(rng)] + [polygon(rng) for _ in range(rng.randint(0, 2))]
    elif site == "commercial" and rng.random() < 0.33:
        shapes = [rng.choice([rect, polygon])(rng)]
    else:
        return ""
    return "\n    masks = ( %s );" % ", ".join(shapes)


def ssc_number(index):
    number = SSC_FIRST + index
    return number if number <= SSC_LAST else SSC_MORE + number - SSC_LAST - 1


def ssc_camera(index):
    number = ssc_number(index)
    rng = random.Random("ssc-%d" % number)
    named = index < len(SSC_NAMED)
    name = SSC_NAMED[index] if named else ssc_name(rng)
    brand = rng.choices(["hik", "dahua", "axis", "hanwha"], [50, 30, 10, 10])[0]
    host = "10.%d.%d.%d" % (20 + index // 50000, index // 200 % 250 + 1, index % 200 + 11)
    main, sub = streams(rng, host, brand, 1)
    site = "transport" if "Aeropuerto" in name or "Terminal" in name else "street"
    # One SSC camera in five is a PTZ dome at an intersection, steered over
    # ONVIF with the camera's own account.
    ptz = ('\n    ptz = { onvif = "http://%s/onvif/device_service"; };' % host
           if index % 5 == 0 else "")
    return entry(number, name, "ssc", site, status(rng, named), main, sub,
                 "ssc-" + brand, ptz)


def guardians_camera(number):
    rng = random.Random("guardians-%d" % number)
    index = number - GUARDIANS_FIRST
    named = index < len(GUARDIANS_NAMED)
    site, name = GUARDIANS_NAMED[index] if named else (None, None)
    site = site or pick_site(rng)
    name = name or guardians_name(rng, site)
    brand = rng.choices(["hik", "dahua", "uniview", "milesight"], [45, 35, 12, 8])[0]
    # Private cameras reach the C5 over its VPN, often through the site's NVR.
    host = "10.%d.%d.%d" % (40 + index // 50000, index // 200 % 250 + 1, index % 200 + 11)
    main, sub = streams(rng, host, brand, rng.randint(1, 8))
    if rng.random() < 0.3:
        sub = None  # older recorders send one stream only
    return entry(number, name, "guardians", site, status(rng, named), main, sub,
                 "g911-" + brand, masks(rng, site))


def entry(number, name, programme, site, state, main, sub, credentials, more_lines):
    state_text = "" if state == "active" else ' status = "%s";' % state
    lines = '  { number = %d; name = "%s";\n    programme = "%s"; site = "%s";%s' % (
        number, name, programme, site, state_text)
    lines += '\n    main = "%s";' % main
    if sub:
        lines += '\n    sub = "%s";' % sub
    lines += ' credentials = "%s";' % credentials
    return lines + more_lines + " }"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4750,
                        help="cameras in all (default 4750: 2,900 SSC + 1,850 Guardians)")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser.add_argument("--verify", metavar="FILE",
                        help="write nothing; exit 1 unless FILE holds what would be written")
    args = parser.parse_args()
    if args.count < 2:
        parser.error("--count must be at least 2")
    n_ssc = max(1, round(args.count * SSC_SHARE))
    n_guardians = args.count - n_ssc
    if n_guardians > GUARDIANS_LAST - GUARDIANS_FIRST + 1:
        parser.error("--count is too large for the Guardians numbers (5001 to 99999)")
    cameras = [ssc_camera(i) for i in range(n_ssc)]
    cameras += [guardians_camera(GUARDIANS_FIRST + i) for i in range(n_guardians)]
    text = (
        "# The C5 Cancún camera registry: %d SSC and %d Guardianes 911 cameras.\n"
        "# Generated by gen-registry.py --count %d; do not edit by hand, edit the\n"
        "# generator. Credentials are named by id: see c5-credentials.cfg.\n\n"
        "cameras = (\n%s\n);\n" % (n_ssc, n_guardians, args.count, ",\n".join(cameras)))
    if args.verify:
        with open(args.verify, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit("%s differs from what gen-registry.py --count %d writes: run it again"
                         % (args.verify, args.count))
        return
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    with out:
        out.write(text)


if __name__ == "__main__":
    main()
