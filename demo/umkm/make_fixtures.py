#!/usr/bin/env python3
"""Writes the three messy UMKM files of Kabupaten Serang that the import is tested and demonstrated on.

    python3 -m venv /tmp/fixvenv && /tmp/fixvenv/bin/pip install openpyxl xlwt
    /tmp/fixvenv/bin/python demo/umkm/make_fixtures.py

- register-dinkop-2025.xlsx: the Dinas Koperasi register, title rows and merged title cells above
  the header on row 5, a row of column numbers under it, a "JUMLAH" footer, amounts written every
  way, phones in every local form.
- peserta-pelatihan-2024.csv: the DAK Non-Fisik training's participants (wave 6, 50 people from
  10 kecamatan), semicolon-separated and Windows-1252 encoded, as Excel saves it.
- oss-nib-export.xls: an OSS NIB export in the legacy XLS format.
- pendaftar-pelatihan-gelombang-7.xlsx: 120 applicants for a training wave from 10 kecamatan
  (the browser test imports it into a wave and selects 50).

The same businesses appear in several files, spelt differently (Keripik/Kripik, Bu/Ibu, upper
case in OSS), for entity resolution to find. Every bad row is deliberate and listed in
README.md; the Rust tests (crates/io/tests/umkm_import.rs) check the counts.

The output is deterministic: the same script writes the same rows.
"""

import csv
import datetime
import io
import os
import re
import zipfile

import openpyxl
import xlwt
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))

# Kecamatan codes (Kemendagri, Kabupaten Serang 36.04) for NIKs issued there.
KEC = {
    "Kramatwatu": "05", "Ciruas": "09", "Kragilan": "11", "Pontang": "12", "Tanara": "14",
    "Cikande": "15", "Kibin": "16", "Carenang": "17", "Baros": "22", "Cikeusal": "23",
    "Kopo": "25", "Jawilan": "26", "Padarincang": "29", "Anyar": "30", "Bandung": "34",
    "Tunjung Teja": "20",
}

# business, owner, sex, kecamatan, desa, product, KBLI, capital, yearly sales
BASE = [
    ("Keripik Pisang Bu Siti", "Siti Aminah", "P", "Cikande", "Parigi", "Keripik pisang", "10794", 25_000_000, 180_000_000),
    ("Emping Melinjo Kibin", "Ahmad Fauzi", "L", "Kibin", "Ketos", "Emping melinjo", "10794", 15_000_000, 120_000_000),
    ("Sate Bandeng Tanara", "Nurhayati", "P", "Tanara", "Cerukcuk", "Sate bandeng", "10212", 40_000_000, 360_000_000),
    ("Kue Apem Bu Euis", "Euis Komariah", "P", "Kragilan", "Silebu", "Kue basah", "10792", 5_000_000, 48_000_000),
    ("Dodol Cikande Asli", "Dedi Supriyadi", "L", "Cikande", "Situterate", "Dodol", "10799", 30_000_000, 240_000_000),
    ("Kopi Robusta Padarincang", "Rohmat Hidayat", "L", "Padarincang", "Citasuk", "Kopi bubuk", "10750", 60_000_000, 600_000_000),
    ("Bakso Ikan Pontang", "Yayah Rokayah", "P", "Pontang", "Linduk", "Bakso ikan", "10750", 20_000_000, 150_000_000),
    ("Tahu Kedelai Kragilan", "Uus Kusnadi", "L", "Kragilan", "Sentul", "Tahu", "10392", 35_000_000, 420_000_000),
    ("Kerupuk Kulit Ciruas", "Iis Sumiati", "P", "Ciruas", "Citerep", "Kerupuk kulit", "10794", 12_000_000, 96_000_000),
    ("Konveksi Jaya Kibin", "Ujang Saepudin", "L", "Kibin", "Nambo Ilir", "Pakaian jadi", "14111", 150_000_000, 1_500_000_000),
    ("Anyaman Bambu Kopo", "Enah Suhaenah", "P", "Kopo", "Nyompok", "Anyaman bambu", "16291", 8_000_000, 60_000_000),
    ("Rengginang Ibu Yayah", "Yayah Suryati", "P", "Bandung", "Mander", "Rengginang", "10794", 4_000_000, 36_000_000),
    ("Abon Ikan Tanara", "Mulyadi", "L", "Tanara", "Tenjoayu", "Abon ikan", "10130", 25_000_000, 200_000_000),
    ("Telur Asin Bu Enah", "Enah Rohaenah", "P", "Carenang", "Pamanuk", "Telur asin", "10799", 10_000_000, 120_000_000),
    ("UD Sumber Rezeki", "Sarip Hidayatullah", "L", "Ciruas", "Kadikaran", "Beras", "47241", 250_000_000, 2_400_000_000),
    ("CV Berkah Tani Jawilan", "Neneng Hasanah", "P", "Jawilan", "Bojot", "Jagung pipil", "01111", 300_000_000, 1_800_000_000),
    ("Warung Nasi Bu Oom", "Oom Komalasari", "P", "Kramatwatu", "Margasana", "Nasi rames", "56102", 10_000_000, 90_000_000),
    ("Gula Semut Aren Baros", "Asep Saepul", "L", "Baros", "Sukacai", "Gula semut", "10799", 18_000_000, 140_000_000),
    ("Jamu Sehat Ibu Komariyah", "Komariyah", "P", "Cikeusal", "Dahu", "Jamu", "11040", 6_000_000, 50_000_000),
    ("Kue Kering Mamat", "Mamat Rahmat", "L", "Bandung", "Pangawinan", "Kue kering", "10710", 12_000_000, 110_000_000),
    ("Sambal Bu Ela", "Ela Nurlaela", "P", "Kibin", "Cijeruk", "Sambal kemasan", "10772", 9_000_000, 72_000_000),
    ("Keripik Singkong Wawan", "Wawan Setiawan", "L", "Kopo", "Garut", "Keripik singkong", "10794", 7_500_000, 54_000_000),
    ("Opak Bakar Rukmini", "Rukmini", "P", "Tanara", "Siremen", "Opak", "10794", 3_000_000, 30_000_000),
    ("Bengkel Las Heri", "Heri Susanto", "L", "Cikande", "Nambo Udik", "Las dan teralis", "25111", 45_000_000, 300_000_000),
    ("Pepes Ikan Bu Nani", "Nani Suryani", "P", "Pontang", "Domas", "Pepes ikan", "10750", 5_000_000, 42_000_000),
    ("Tenun Aceng", "Aceng Mulyana", "L", "Carenang", "Teras", "Kain tenun", "13921", 20_000_000, 130_000_000),
    ("Dimsum Eli", "Eli Yulianti", "P", "Kragilan", "Dukuh", "Dimsum beku", "10750", 15_000_000, 160_000_000),
    ("Ikan Asap Suhendi", "Suhendi", "L", "Tanara", "Pedaleman", "Ikan asap", "10212", 22_000_000, 210_000_000),
    ("Kue Basah Titin", "Titin Supriatin", "P", "Ciruas", "Pulo", "Kue basah", "10792", 4_500_000, 40_000_000),
    ("Madu Hutan Dadang", "Dadang Kurniawan", "L", "Padarincang", "Bugel", "Madu", "10799", 12_000_000, 84_000_000),
    ("Pisang Sale Bu Imas", "Imas Masitoh", "P", "Jawilan", "Pagintungan", "Pisang sale", "10313", 6_000_000, 45_000_000),
    ("Koperasi Wanita Mandiri Cikande", "Babay Baihaki", "L", "Cikande", "Cikande Permai", "Simpan pinjam", "64141", 500_000_000, 900_000_000),
    ("Batik Lilis", "Lilis Suryani", "P", "Kramatwatu", "Pejaten", "Batik tulis", "13134", 25_000_000, 190_000_000),
    ("Roti Endang", "Endang Rusmana", "L", "Kibin", "Barengkok", "Roti", "10710", 30_000_000, 270_000_000),
    ("Keripik Tempe Rina", "Rina Marlina", "P", "Bandung", "Babakan", "Keripik tempe", "10794", 5_000_000, 39_000_000),
    ("Kacang Sangrai Agus", "Agus Salim", "L", "Kopo", "Cidahu", "Kacang sangrai", "10793", 8_000_000, 70_000_000),
    ("Terasi Cucu", "Cucu Sumarni", "P", "Pontang", "Pulokencana", "Terasi", "10212", 3_500_000, 28_000_000),
    ("Mebel Ade Jaya", "Ade Irawan", "L", "Cikeusal", "Katulisan", "Mebel kayu", "31001", 80_000_000, 650_000_000),
    ("Rempeyek Yuyun", "Yuyun Wahyuni", "P", "Carenang", "Mandaya", "Rempeyek", "10794", 2_500_000, 24_000_000),
    ("Sayur Organik Jajang", "Jajang Nurjaman", "L", "Baros", "Tejamari", "Sayur organik", "01132", 10_000_000, 95_000_000),
    ("Kue Cucur Nining", "Nining Kurniasih", "P", "Kragilan", "Jeruk Tipis", "Kue cucur", "10792", 2_000_000, 20_000_000),
    ("Ternak Ayam Samsudin", "Samsudin", "L", "Jawilan", "Junti", "Ayam pedaging", "01461", 120_000_000, 800_000_000),
    ("Seblak Ratna", "Ratna Dewi", "P", "Cikande", "Koper", "Seblak kering", "10799", 4_000_000, 36_000_000),
    ("Bandeng Presto Hasanudin", "Hasanudin", "L", "Tanara", "Bendung", "Bandeng presto", "10212", 28_000_000, 260_000_000),
    ("Keripik Talas Mimin", "Mimin Mintarsih", "P", "Tunjung Teja", "Sukasari", "Keripik talas", "10794", 5_500_000, 48_000_000),
    ("Sandal Kosasih", "Kosasih", "L", "Ciruas", "Ranjeng", "Sandal", "15201", 35_000_000, 240_000_000),
    ("Laundry Sri", "Sri Wahyuni", "P", "Kramatwatu", "Terate", "Jasa laundry", "96200", 15_000_000, 110_000_000),
    ("Bubuk Jahe Ujang", "Ujang Hermawan", "L", "Anyar", "Cikoneng", "Jahe bubuk", "10799", 9_000_000, 66_000_000),
    ("Kerupuk Ikan Tuti", "Tuti Alawiyah", "P", "Pontang", "Kelapian", "Kerupuk ikan", "10794", 7_000_000, 62_000_000),
    ("Gula Aren Idris", "Idris", "L", "Padarincang", "Cisaat", "Gula aren", "10799", 11_000_000, 90_000_000),
    ("Nugget Ikan Bu Maesaroh", "Hj. Maesaroh", "P", "Anyar", "Bandulu", "Nugget ikan", "10750", 20_000_000, 175_000_000),
    ("Kopi Bubuk Jaenudin", "Jaenudin", "L", "Kibin", "Tambak", "Kopi bubuk", "10750", 14_000_000, 100_000_000),
]


def nik(i):
    """A valid NIK issued in the business's kecamatan: women add 40 to the birth day."""
    business, owner, sex, kec = BASE[i][:4]
    day = 1 + (i * 7) % 28 + (40 if sex == "P" else 0)
    month = 1 + (i * 5) % 12
    year = 60 + (i * 3) % 40
    return f"3604{KEC[kec]}{day:02d}{month:02d}{year:02d}{(i % 97) + 1:04d}"


def nib(i):
    return f"912{(i * 7919 + 20_250_000) % 10**10:010d}"


def phone(i):
    return f"08{12 + i % 8}{(i * 48271 + 1_234_567) % 10**8:08d}"


def phone_written(i):
    """The number as some officer typed it."""
    p = phone(i)
    forms = [
        lambda: f"{p[:4]}-{p[4:8]}-{p[8:]}",
        lambda: f"+62 {p[1:4]} {p[4:8]} {p[8:]}",
        lambda: "62" + p[1:],
        lambda: f"{p[:4]} {p[4:8]} {p[8:]}",
        lambda: p,
        lambda: f"{p[:4]}.{p[4:8]}.{p[8:]}",
        lambda: f"{p} / 0877{p[4:]}",
    ]
    return forms[i % len(forms)]()


def rupiah(amount, i):
    """An amount as registers write it: Rp 25.000.000, 25 jt, 1,5 M, Rp. 5.000.000,-, 750 rb."""
    style = i % 6
    if style == 0:
        return f"Rp {amount:,}".replace(",", ".")
    if style == 1 and amount % 1_000_000 == 0:
        return f"{amount // 1_000_000} jt"
    if style == 2 and amount >= 1_000_000_000:
        return f"{amount / 1_000_000_000:g} M".replace(".", ",")
    if style == 2 and amount % 100_000 == 0:
        return f"{amount / 1_000_000:g} juta".replace(".", ",")
    if style == 3:
        return f"Rp. {amount:,},-".replace(",", ".").replace(".-", ",-")
    if style == 4:
        return amount  # a number cell
    return f"{amount:,}".replace(",", ".")


def register():
    """register-dinkop-2025.xlsx"""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Data UMKM 2025"
    headers = [
        "No", "Nama Usaha", "Nama Pemilik", "NIK", "L/P", "No. HP/WA", "Alamat", "Desa/Kel", "Kec.",
        "Jenis Produk", "Modal Usaha", "Omzet per Tahun", "NIB",
    ]
    last = openpyxl.utils.get_column_letter(len(headers))
    titles = [
        "DATA USAHA MIKRO, KECIL DAN MENENGAH (UMKM) KABUPATEN SERANG",
        "DINAS KOPERASI, UMKM, PERINDUSTRIAN DAN PERDAGANGAN",
        "Keadaan s.d. 30 Juni 2025",
    ]
    for r, title in enumerate(titles, start=1):
        ws.cell(row=r, column=1, value=title).font = Font(bold=True, size=14 if r == 1 else 11)
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
    for c, h in enumerate(headers, start=1):
        ws.cell(row=5, column=c, value=h).font = Font(bold=True)
        ws.cell(row=6, column=c, value=f"({c})")

    rows = []
    for i, b in enumerate(BASE):
        business, owner, sex, kec, desa, product, _kbli, capital, sales = b
        kec_written = [kec, f"Kec. {kec}", kec.upper(), kec.lower()][i % 4]
        rows.append([
            business, owner, nik(i), sex, phone_written(i), f"Kp. {desa} RT 00{1 + i % 5}/00{1 + i % 3}",
            desa, kec_written, product, rupiah(capital, i), rupiah(sales, i + 2), nib(i) if i % 3 == 0 else "",
        ])
    # Misspellings the import corrects (warnings; the rows are kept).
    rows[0][7] = "Cikandee"  # Cikande
    rows[7][7] = "Keragilan"  # Kragilan
    rows[44][7] = "Tunjungteja"  # Tunjung Teja, written together: exact
    rows[4][6] = "Situ Terate"  # Situterate, written apart: exact
    rows[26][6] = "Dukuhh"  # Dukuh: corrected
    rows[9][10] = "1,5 M"  # Konveksi Jaya Kibin's omzet, Rp 1.500.000.000
    # A NIK typed as a number: Excel kept 15 digits, so the last one is lost (warning, NIK dropped).
    rows[10][2] = float(nik(10)[:15] + "0")
    # A phone typed as a number: the leading 0 is gone, still a phone.
    rows[11][4] = float(phone(11)[1:])
    # The bad rows (errors; the rows are rejected).
    rows[5][2] = nik(5)[:15]  # NIK with 15 digits
    rows[12][2] = "3,60415E+15"  # NIK pasted in scientific notation
    rows[18][0] = ""  # no business name
    rows[29][7] = "Cilegon"  # not a kecamatan of Kabupaten Serang (a city of its own)
    rows[33][9] = "dua puluh juta"  # capital in words
    # Overlap with the training list and OSS comes from BASE itself.
    for r, row in enumerate(rows, start=7):
        ws.cell(row=r, column=1, value=r - 6)
        for c, value in enumerate(row, start=2):
            if value != "":
                ws.cell(row=r, column=c, value=value)
    footer = 7 + len(rows)
    ws.cell(row=footer, column=2, value="JUMLAH").font = Font(bold=True)
    widths = [5, 32, 22, 20, 5, 20, 28, 16, 14, 18, 16, 16, 16]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = w
    # Excel saves with a fixed time stamp here so the file is the same each run.
    book.properties.created = datetime.datetime(2025, 7, 1, 8, 0, 0)
    book.properties.modified = datetime.datetime(2025, 7, 1, 8, 0, 0)
    path = os.path.join(HERE, "register-dinkop-2025.xlsx")
    book.save(path)
    fix_zip_times(path)
    return len(rows)


def fix_zip_times(path):
    """openpyxl stamps each zip entry with the time of writing; a fixed one keeps the file the same."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                # openpyxl sets "modified" to the time of saving, whatever the properties say.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-07-01T08:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 7, 1, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(fixed, data)


# Training participants: 50 from 10 kecamatan (the 6th wave of the DAK Non-Fisik managerial
# training, Swiss-Belinn Modern Cikande, 20 October 2025; this list is the 2024 wave's).
TRAINING_KEC = ["Bandung", "Tanara", "Cikande", "Kibin", "Kragilan", "Jawilan", "Kopo", "Ciruas", "Pontang", "Carenang"]



def respell(business):
    """How a participant writes the business's name: Kripik for Keripik, Ibu for Bu and back."""
    s = f" {business} ".replace("Keripik", "Kripik").replace("Melinjo", "Mlinjo")
    if " Bu " in s:
        s = s.replace(" Bu ", " Ibu ")
    elif " Ibu " in s:
        s = s.replace(" Ibu ", " Bu ")
    return s.strip()

EXTRA_PARTICIPANTS = [
    # owner, business, kecamatan, desa, product
    ("Ma’ruf Amin", "Kopi Tubruk Ma’ruf", "Bandung", "Malabar", "Kopi – bubuk"),
    ("Siti Rohmah", "Café Kampung Tanara", "Tanara", "Lempuyang", "Minuman"),
    ("Ujang Komarudin", "Gorengan Ujang", "Cikande", "Julang", "Gorengan"),
    ("Neng Rosidah", "Kue Bolu Neng", "Kibin", "Ciagel", "Bolu – kue kering"),
    ("Ahmad Jaelani", "Madu Klanceng Jaelani", "Kragilan", "Undar Andir", "Madu"),
    ("Yeni Marlina", "Keripik Usus Yeni", "Jawilan", "Parakan", "Keripik usus"),
    ("Dede Sunarya", "Ikan Cupang Dede", "Kopo", "Gabus", "Ikan hias"),
    ("Eneng Hamidah", "Kue Pisang Eneng", "Ciruas", "Gosara", "Kue basah"),
    ("Rudi Hartono", "Petis Rudi", "Pontang", "Singarajan", "Petis"),
    ("Mae Sumiati", "Rujak Bebeg Mae", "Carenang", "Walikukun", "Rujak"),
    ("Lina Herlina", "Sambal Roa Lina", "Bandung", "Blokang", "Sambal"),
    ("Saepul Anwar", "Terasi Udang Saepul", "Tanara", "Tanara", "Terasi"),
    ("Aam Amalia", "Brownies Aam", "Cikande", "Sukatani", "Brownies"),
    ("Iwan Gunawan", "Tempe Iwan", "Kibin", "Nagara", "Tempe"),
    ("Nurjanah", "Jahe Merah Nurjanah", "Kragilan", "Pematang", "Minuman jahe"),
    ("Herman", "Pangsit Herman", "Jawilan", "Kareo", "Pangsit"),
    ("Iyah Sopiah", "Bawang Goreng Iyah", "Kopo", "Babakanjaya", "Bawang goreng"),
    ("Atikah", "Kue Lapis Atikah", "Ciruas", "Bumijaya", "Kue lapis"),
    ("Odih", "Ikan Asin Odih", "Pontang", "Sukanegara", "Ikan asin"),
    ("Ecih Sukaesih", "Emping Ecih", "Carenang", "Ragas Masigit", "Emping"),
    ("Anwar Sanusi", "Keripik Gadung Anwar", "Bandung", "Panamping", "Keripik gadung"),
    ("Tati Sumiati", "Pecel Tati", "Tanara", "Sukamanah", "Bumbu pecel"),
    ("Rohimah", "Susu Kedelai Rohimah", "Cikande", "Kamurang", "Susu kedelai"),
    ("Suryadi", "Tahu Bakso Suryadi", "Kibin", "Kibin", "Tahu bakso"),
    ("Yati Rohayati", "Kue Satu Yati", "Kragilan", "Kendayakan", "Kue kering"),
    ("Dudung", "Sale Pisang Dudung", "Jawilan", "Majasari", "Sale pisang"),
    ("Hasanah", "Kue Jahe Hasanah", "Kopo", "Rancasumur", "Kue kering"),
]


def training():
    """peserta-pelatihan-2024.csv"""
    # Businesses from the register, from the same ten kecamatan, spelt the way participants write them.
    from_register = [i for i, b in enumerate(BASE) if b[3] in TRAINING_KEC][:23]
    rows = []
    for n, i in enumerate(from_register):
        business, owner, sex, kec, desa, product, _kbli, _capital, sales = BASE[i]
        written = respell(business)
        if n % 5 == 1:
            written = written.upper()
        title = ("Bu " if sex == "P" else "Pak ") if n % 4 == 0 else ""
        monthly = sales // 12 // 100_000 * 100_000
        omzet = [f"{monthly / 1_000_000:g} jt".replace(".", ","), f"Rp {monthly:,}".replace(",", "."), f"{monthly:,}".replace(",", ".")][n % 3]
        kec_written = [kec, f"Kec. {kec}", kec.upper()][n % 3]
        rows.append([title + owner, written, phone_written(i + 3) if n % 6 == 2 else phone(i), kec_written, desa, product, omzet, ""])
    for m, (owner, business, kec, desa, product) in enumerate(EXTRA_PARTICIPANTS):
        monthly = (2 + m % 7) * 750_000
        omzet = [f"Rp {monthly:,}".replace(",", "."), f"{monthly / 1_000_000:g} jt".replace(".", ",")][m % 2]
        rows.append([owner, business, phone(100 + m), kec, desa, product, omzet, ""])
    # Misspellings corrected (warnings).
    rows[28][3] = "Jawillan"  # Yeni Marlina's kecamatan, Jawilan
    rows[46][4] = "Kibbin"  # Suryadi's desa, Kibin in Kecamatan Kibin
    # The bad rows (errors).
    rows[9][2] = "0812-345"  # a phone number too short
    rows[40][3] = "Serang"  # a participant from Kota Serang: not a kecamatan of Kabupaten Serang
    rows[45][1] = ""  # no business name (the participant has none yet)
    rows[20][7] = "hadir 3 hari"
    rows[21][7] = "tidak hadir hari ke-2"

    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["DAFTAR PESERTA PELATIHAN MANAJERIAL BAGI USAHA MIKRO", "", "", "", "", "", "", ""])
    w.writerow(["DAK NON-FISIK TAHUN 2024 – DISKOUMPERINDAG KABUPATEN SERANG", "", "", "", "", "", "", ""])
    w.writerow([""] * 8)
    w.writerow(["No", "Nama Peserta", "Nama UMKM", "No HP", "Kecamatan", "Desa", "Jenis Produk", "Omzet per Bulan", "Keterangan"])
    for n, row in enumerate(rows, start=1):
        w.writerow([n] + row)
    with open(os.path.join(HERE, "peserta-pelatihan-2024.csv"), "wb") as f:
        f.write(out.getvalue().encode("cp1252"))
    return len(rows)


def oss():
    """oss-nib-export.xls"""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("NIB")
    bold = xlwt.easyxf("font: bold on")
    date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    ws.write(0, 0, "DATA NIB USAHA MIKRO DAN KECIL - KABUPATEN SERANG (OSS RBA)", bold)
    headers = ["No", "NIB", "Tanggal Terbit", "Nama Pelaku Usaha", "Alamat", "Kelurahan", "Kecamatan", "KBLI", "Judul KBLI", "Skala Usaha"]
    for c, h in enumerate(headers):
        ws.write(2, c, h, bold)
    picked = [i for i in range(len(BASE)) if i % 3 == 0] + [i for i in range(len(BASE)) if i % 3 == 1][:22]
    rows = []
    for n, i in enumerate(picked):
        business, owner, sex, kec, desa, product, kbli, capital, _sales = BASE[i]
        # OSS writes names in capitals; a sole proprietor's NIB is in the owner's own name.
        name = (owner if n % 4 == 3 else business).upper()
        address = f"KP. {desa.upper()} RT 00{1 + i % 5} RW 00{1 + i % 3}"
        kbli_value = int(kbli) if n % 5 == 4 and not kbli.startswith("0") else kbli
        issued = datetime.date(2021 + n % 4, 1 + n % 12, 1 + n % 28)
        rows.append([nib(i) if n % 7 != 5 else int(nib(i)), issued, name, address, desa.upper(), kec.upper(), kbli_value, product, "Usaha Mikro" if capital < 1_000_000_000 else "Usaha Kecil"])
    # CV Berkah Tani's KBLI 01111 (Pertanian Jagung) as a number cell lost its leading zero:
    # read back as 01111 with a warning.
    for row in rows:
        if row[6] == "01111":
            row[6] = 1111
    rows[3][6] = "10794, 47241"  # two KBLI in one cell
    # The bad rows (errors).
    rows[8][0] = nib(24)[:12]  # NIB with 12 digits
    rows[17][6] = "99999"  # not a KBLI 2020 code
    for r, row in enumerate(rows, start=3):
        ws.write(r, 0, r - 2)
        for c, value in enumerate(row, start=1):
            if isinstance(value, datetime.date):
                ws.write(r, c, value, date)
            else:
                ws.write(r, c, value)
    book.save(os.path.join(HERE, "oss-nib-export.xls"))
    return len(rows)


# The seventh wave's applicants, as the agency collects them from the kecamatan offices: one
# sheet, a title, 12 applicants from each of the sixth wave's 10 kecamatan (120 for 50 seats).
APPLICANT_FIRST = [
    "Siti", "Ahmad", "Nur", "Euis", "Dedi", "Rohmat", "Yayah", "Uus", "Iis", "Ujang", "Enah", "Mulyadi",
    "Neneng", "Oom", "Jaenudin", "Asep", "Dewi", "Hasan", "Imas", "Karta", "Lilis", "Maman", "Nining", "Oding",
]
APPLICANT_LAST = ["Suryani", "Hidayat", "Komariah", "Saepudin", "Rohaeti", "Sanusi", "Fatimah", "Mulyana", "Jubaedah", "Rustandi"]
APPLICANT_PRODUCTS = [
    "Keripik Singkong", "Emping Melinjo", "Telur Asin", "Sate Bandeng", "Kue Satu", "Dodol Betawi", "Rengginang",
    "Kerupuk Ikan", "Abon Lele", "Sambal Roa", "Kopi Bubuk", "Gula Aren",
]


def applicants():
    """pendaftar-pelatihan-gelombang-7.xlsx"""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Pendaftar"
    headers = ["No", "Nama Usaha", "Nama Pemilik", "L/P", "No. HP/WA", "Email", "Kecamatan", "Jenis Produk", "Omzet per Tahun"]
    last = openpyxl.utils.get_column_letter(len(headers))
    ws.cell(row=1, column=1, value="DAFTAR CALON PESERTA PELATIHAN MANAJERIAL BAGI USAHA MIKRO GELOMBANG 7").font = Font(bold=True, size=13)
    ws.merge_cells(f"A1:{last}1")
    ws.cell(row=2, column=1, value="Usulan kecamatan, Desember 2026")
    ws.merge_cells(f"A2:{last}2")
    for c, h in enumerate(headers, start=1):
        ws.cell(row=4, column=c, value=h).font = Font(bold=True)
    n = 0
    for k, kec in enumerate(TRAINING_KEC):
        for j in range(12):
            first = APPLICANT_FIRST[(k * 7 + j) % len(APPLICANT_FIRST)]
            last_name = APPLICANT_LAST[(k + j * 3) % len(APPLICANT_LAST)]
            product = APPLICANT_PRODUCTS[j]
            owner = f"{first} {last_name}"
            sex = "P" if first in ("Siti", "Nur", "Euis", "Yayah", "Iis", "Enah", "Neneng", "Oom", "Dewi", "Imas", "Lilis", "Nining") else "L"
            business = f"{product} {first} {kec}"
            email = f"{first.lower()}.{last_name.lower()}{n}@contoh.id" if n % 4 == 0 else ""
            sales = 60_000_000 + (n * 7_919_000) % 900_000_000
            row = [n + 1, business, owner, sex, phone_written(300 + n), email, kec, product, rupiah(sales, n)]
            for c, value in enumerate(row, start=1):
                if value != "":
                    ws.cell(row=5 + n, column=c, value=value)
            n += 1
    for c, w in enumerate([5, 34, 22, 5, 20, 30, 14, 18, 16], start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = w
    book.properties.created = datetime.datetime(2026, 11, 20, 8, 0, 0)
    book.properties.modified = datetime.datetime(2026, 11, 20, 8, 0, 0)
    path = os.path.join(HERE, "pendaftar-pelatihan-gelombang-7.xlsx")
    book.save(path)
    fix_zip_times(path)
    return n


if __name__ == "__main__":
    print("register-dinkop-2025.xlsx:", register(), "rows")
    print("peserta-pelatihan-2024.csv:", training(), "rows")
    print("oss-nib-export.xls:", oss(), "rows")
    print("pendaftar-pelatihan-gelombang-7.xlsx:", applicants(), "rows")
