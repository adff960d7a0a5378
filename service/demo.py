"""Synthetic demo records: tracing requests and enquiries that describe the same families.

ALL PEOPLE IN THIS MODULE ARE SYNTHETIC. Every person is a random combination of common given
names and family names of a culture, drawn from the lists below; any resemblance to a real
person is a coincidence. Identifiers, phone numbers (+000 555 ...), e-mail addresses
(@example.org) and enquirers' addresses are fake by construction. Places are real regions and
towns, used only as places of origin, of separation or of a last address before separation.

`demo_records()` yields, for each *paired* family, a tracing request (the child) and an
enquiry (a relative looking for the child, sometimes for two or three siblings at once)
written the way two different organisations would write them: the child's name in another
script or another romanisation (محمد عبدالله ↔ "Mohamed Abdalla", Олександр ↔ "Oleksandr" /
"Aleksandr", ዮናስ ተስፋዬ ↔ "Yonas Tesfaye", "Nguyễn Văn An" ↔ "Nguyen Van An", "Cabdi Xasan"
↔ "Abdi Hassan"), missing name parts, another name order, nicknames, ages estimated a year or
two off, parents named by the child who are the enquirer, places written in another script.

Records that describe the same family share `true_pair_id` (never sent to the API). Within a
`true_pair_id` every record concerns the same child: the tracing request's subject is one of
the sought children of each enquiry. A few families have a second tracing request of the same
child by another organisation (a probable duplicate) or a second enquiry by another relative.
Further families contribute a single record with no counterpart (`true_pair_id` None).
Some records have no tracing consent; some do not allow sharing with partners.

Deterministic for a seed: the same seed gives the same records, in the same order (by
registration date), with the same external ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

__all__ = ["ORGANISATIONS", "DemoRecord", "demo_records"]

Kind = Literal["tracing_request", "enquiry"]

#: The demo organisations and the prefix of their external ids.
ORGANISATIONS: dict[str, str] = {
    "Tracing Agency North": "TA-N",
    "Partner NGO East": "PN-E",
    "Partner NGO West": "PN-W",
}
_NORTH, _EAST, _WEST = ORGANISATIONS

_EARLIEST_BIRTH = date(2008, 1, 1)  # 17 at the end of 2025
_LATEST_BIRTH = date(2022, 12, 31)  # 2 at the start of 2025
_LATEST_SEPARATION = date(2025, 10, 31)
_LATEST_REGISTRATION = date(2025, 12, 31)
_REFERENCE_YEAR = 2025


@dataclass(frozen=True, slots=True)
class DemoRecord:
    """One record to register, with the family it belongs to (for tests and the bench)."""

    kind: Kind
    body: dict[str, Any]
    organisation: str
    true_pair_id: str | None


# --------------------------------------------------------------------------------------------
# Name and place data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    """A name or place word: its native form, romanisations (most common first), other native
    spellings (hamza dropped, Russian form of a Ukrainian name, accent placed elsewhere), and
    nicknames."""

    native: str
    latin: tuple[str, ...]
    alt: tuple[str, ...] = ()
    nick: tuple[_Tok, ...] = ()


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _nick(text: str) -> _Tok:
    native, _, latin = text.partition("/")
    return _Tok(native.strip(), (latin.strip() or native.strip(),))


def _toks(spec: str) -> tuple[_Tok, ...]:
    """Parse lines `native | latin, latin | alt, alt | nick/latin, nick/latin`."""
    out: list[_Tok] = []
    for raw in spec.strip().splitlines():
        fields = [f.strip() for f in raw.split("|")]
        native = fields[0]
        latin = _split(fields[1]) if len(fields) > 1 and fields[1] else (native,)
        alt = _split(fields[2]) if len(fields) > 2 else ()
        nick = tuple(_nick(n) for n in _split(fields[3])) if len(fields) > 3 else ()
        out.append(_Tok(native, latin, alt, nick))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Region:
    country: str
    admin1: _Tok
    localities: tuple[_Tok, ...]
    languages: tuple[str, ...] = ()


def _regions(spec: str) -> tuple[_Region, ...]:
    """Parse `CC | native | latin | alt | languages` lines, each followed by indented
    `native | latin | alt` locality lines."""
    out: list[_Region] = []
    head: list[str] = []
    localities: list[_Tok] = []

    def flush() -> None:
        if head:
            admin1 = _toks(" | ".join(head[1:4]))[0]
            langs = tuple(head[4].split()) if len(head) > 4 else ()
            out.append(_Region(head[0], admin1, tuple(localities), langs))

    for raw in spec.strip("\n").splitlines():
        if raw.startswith(" "):
            localities.extend(_toks(raw))
            continue
        flush()
        head = [f.strip() for f in raw.split("|")]
        while len(head) < 4:
            head.append("")
        localities = []
    flush()
    return tuple(out)


def _routes(spec: str) -> tuple[tuple[str, _Tok], ...]:
    """Parse `CC | native | latin` lines: places where families were separated."""
    out: list[tuple[str, _Tok]] = []
    for raw in spec.strip().splitlines():
        country, _, rest = raw.partition("|")
        out.append((country.strip(), _toks(rest)[0]))
    return tuple(out)


# Arabic (Syria, Iraq, Sudan): given name, father's given name, family name.
_AR_BOYS = _toks("""
محمد | Mohamed, Mohammed, Muhammad, Mohammad, Mohamad | | حمودي/Hamoudi
أحمد | Ahmed, Ahmad | احمد | حمادة/Hamada
علي | Ali | | علوش/Alloush
عمر | Omar, Umar
يوسف | Youssef, Yousef, Yusuf | | جو/Jo
حسن | Hassan, Hasan
حسين | Hussein, Hussain, Husain
خالد | Khaled, Khalid
إبراهيم | Ibrahim, Ebrahim | ابراهيم | بوبو/Bobo
مصطفى | Mustafa, Moustafa, Mostafa
عبدالله | Abdullah, Abdalla, Abdallah, Abd Allah | عبد الله | عبود/Abboud
عبدالرحمن | Abdulrahman, Abdelrahman, Abdel Rahman, Abd al-Rahman | عبد الرحمن | عبدو/Abdo
محمود | Mahmoud, Mahmud
كريم | Karim, Kareem
عثمان | Osman, Othman, Uthman
آدم | Adam | ادم
بلال | Bilal, Belal
إسماعيل | Ismail, Ismael | اسماعيل
زكريا | Zakaria, Zakariya, Zakariyya
""")
_AR_GIRLS = _toks("""
فاطمة | Fatima, Fatma, Fatmeh | فاطمه | فطوم/Fattoum
مريم | Maryam, Mariam, Meryem
عائشة | Aisha, Aysha, Aicha | عايشة
زينب | Zainab, Zeinab, Zaynab
نور | Nour, Noor, Nur
سارة | Sara, Sarah | ساره
هدى | Huda, Hoda
آمنة | Amina, Amna, Aamina | امنة
لينا | Lina, Leena
ياسمين | Yasmin, Yasmine, Jasmin | | ياسو/Yasso
خديجة | Khadija, Khadijah, Khadiga | خديجه
رغد | Raghad
هبة | Heba, Hiba | هبه
دعاء | Duaa, Doaa, Dua
سلمى | Salma, Selma
إسراء | Israa, Esraa, Isra | اسراء
جنى | Jana, Janna
""")
_AR_MEN = _AR_BOYS + _toks("""
سعيد | Said, Saeed, Saied
جمال | Jamal, Gamal
فيصل | Faisal, Faysal
صالح | Saleh, Salih
ماجد | Majed, Majid
وليد | Walid, Waleed
رياض | Riad, Riyad, Riyadh
""")
_AR_WOMEN = _AR_GIRLS + _toks("""
سعاد | Suad, Souad, Soad
منى | Mona, Muna
نادية | Nadia, Nadiya | ناديه
سميرة | Samira, Sameera | سميره
ليلى | Layla, Leila, Laila | ليلا
حنان | Hanan
وفاء | Wafaa, Wafa | وفا
""")
_AR_FAMILIES = _toks("""
الحسن | Al-Hassan, Alhassan, El Hassan, Hassan
الأحمد | Al-Ahmad, Alahmad, Al Ahmed, Ahmad | الاحمد
العلي | Al-Ali, Alali, El Ali
الخطيب | Al-Khatib, Alkhatib, El Khatib, Khatib
الشامي | Al-Shami, Alshami, Shami, El Chami
المصري | Al-Masri, Almasri, El Masry, Masri
حداد | Haddad, Hadad
النجار | Al-Najjar, Alnajjar, Najjar, Najar
الجبوري | Al-Jubouri, Aljuburi, Al Jbouri, Jubouri
التميمي | Al-Tamimi, Altamimi, Tamimi
الدليمي | Al-Dulaimi, Aldulaimi, Dulaimi
إدريس | Idris, Idriss, Edris | ادريس
عثمان | Osman, Othman
الزين | Al-Zein, Elzein, Alzain
الحلبي | Al-Halabi, Halabi, Alhalabi
قاسم | Kassem, Qasim, Kasim, Qassem
""")
_AR_REGIONS = _regions("""
SY | حلب | Aleppo, Halab
  حلب | Aleppo, Halab
  منبج | Manbij, Menbij
  الباب | Al-Bab, Al Bab
  إعزاز | Azaz, Aazaz, Izaz | اعزاز
SY | إدلب | Idlib, Idleb | ادلب
  معرة النعمان | Maarat al-Numan, Maarrat an-Numan, Maaret Alnouman
  سراقب | Saraqib, Saraqeb
  أريحا | Ariha | اريحا
SY | حمص | Homs, Hims
  حمص | Homs, Hims
  القصير | Al-Qusayr, Qusair, Al Qusayr
  تلبيسة | Talbiseh, Talbisa
SY | ريف دمشق | Rif Dimashq, Rural Damascus, Damascus Countryside
  دوما | Douma, Duma
  داريا | Darayya, Daraya
  الزبداني | Zabadani, Al-Zabadani
SY | درعا | Daraa, Deraa, Dar'a
  درعا | Daraa, Deraa
  بصرى الشام | Busra al-Sham, Bosra
SY | دير الزور | Deir ez-Zor, Deir Ezzor, Dayr az-Zawr
  الميادين | Al-Mayadin, Mayadeen
  البوكمال | Albu Kamal, Abu Kamal
IQ | نينوى | Nineveh, Ninawa, Ninewa
  الموصل | Mosul, Al-Mawsil
  تلعفر | Tal Afar, Tel Afar, Talafar
IQ | الأنبار | Anbar, Al-Anbar | الانبار
  الفلوجة | Fallujah, Falluja | الفلوجه
  الرمادي | Ramadi, Al-Ramadi
IQ | صلاح الدين | Salah al-Din, Salahuddin
  تكريت | Tikrit
  بيجي | Baiji, Bayji
SD | الخرطوم | Khartoum
  أم درمان | Omdurman, Um Durman | ام درمان
  الخرطوم بحري | Khartoum North, Bahri
SD | غرب دارفور | West Darfur
  الجنينة | El Geneina, Al Junaynah, Geneina
SD | شمال دارفور | North Darfur
  الفاشر | El Fasher, Al-Fashir
SD | جنوب دارفور | South Darfur
  نيالا | Nyala
SD | الجزيرة | Gezira, Al Jazirah
  ود مدني | Wad Madani, Wad Medani
""")
_AR_ROUTES = _routes("""
TR | Gaziantep | Gaziantep, Antep
TR | İzmir | Izmir, Smyrna
GR | Λέσβος | Lesvos, Lesbos
LB | بيروت | Beirut, Bayrut
JO | الزعتري | Zaatari, Al Zaatari
LY | زوارة | Zuwara, Zuwarah
TD | Adré | Adre
EG | أسوان | Aswan
LY | الكفرة | Kufra, Al Kufrah
""")

# Kurdish (Kurmanji, Latin script with diacritics): given name, father's name, family name.
_KU_BOYS = _toks("""
Azad | Azad
Rêbaz | Rebaz
Şêrko | Sherko, Serko, Shirko
Dilşad | Dilshad, Dilsad
Rojhat | Rojhat, Rojhad
Baran | Baran
Berzan | Berzan, Barzan
Hogir | Hogir
Çiya | Chiya, Ciya
Kawa | Kawa, Kaveh
Hejar | Hejar, Hazhar
Şivan | Shivan, Sivan
Welat | Walat, Welat
Ciwan | Jiwan, Ciwan, Juan
""")
_KU_GIRLS = _toks("""
Şîlan | Shilan, Silan
Berîvan | Berivan, Beriwan
Jiyan | Jiyan, Zhiyan
Hêvî | Hevi, Hevy, Hivi
Zozan | Zozan
Rojda | Rojda
Nesrîn | Nesrin, Nasrin
Dîlan | Dilan
Avîn | Avin, Aveen
Rûken | Ruken
Şîrîn | Shirin, Sirin
Xezal | Khazal, Hazal, Xazal
Nûjîn | Nujin, Nojin
""")
_KU_MEN = _KU_BOYS + _toks("""
Xelîl | Khalil, Xalil, Halil
Hesen | Hasan, Hassan
Silêman | Sleman, Suleiman, Suleyman
Mûsa | Musa, Mousa
Îbrahîm | Ibrahim, Brahim
Reşîd | Reshid, Rashid, Resit
Ehmed | Ahmed, Ahmad
Mehmûd | Mahmud, Mahmoud
Xidir | Khidir, Khider, Hidir
""")
_KU_WOMEN = _KU_GIRLS + _toks("""
Xanim | Khanim, Hanim
Gulê | Gule, Gulay
Zeyneb | Zainab, Zeynep
Leyla | Leila, Layla
Emîne | Amina, Emine
""")
_KU_FAMILIES = _toks("""
Yıldız | Yildiz
Çelik | Celik, Chelik
Şahin | Sahin, Shahin
Doğan | Dogan
Aslan | Aslan, Arslan
Özdemir | Ozdemir
Kılıç | Kilic
Berwarî | Berwari, Barwari
Mizûrî | Mizuri, Mizouri
Sindî | Sindi
""")
_KU_REGIONS = _regions("""
IQ | Dihok | Duhok, Dahuk, Dohuk | | kmr ara
  Zaxo | Zakho
  Semêl | Sumel, Simele
IQ | Neynewa | Nineveh, Ninawa | | kmr ara
  Şingal | Shingal, Sinjar, Singal
  Başîqa | Bashiqa, Bashika
SY | Hesekê | Hasakah, Al-Hasakah | | kmr ara
  Qamişlo | Qamishli, Qamishlo
  Amûdê | Amuda, Amude
  Dêrik | Derik, Al-Malikiyah
SY | Heleb | Aleppo | | kmr ara
  Kobanî | Kobani, Kobane, Ain al-Arab
  Efrîn | Afrin, Efrin
TR | Mêrdîn | Mardin | | kmr tur
  Nisêbîn | Nusaybin, Nisibin
TR | Şirnex | Sirnak, Şırnak | | kmr tur
  Cizîr | Cizre
""")
_KU_ROUTES = _routes("""
TR | Van | Van
BY | Мінск | Minsk
PL | Kuźnica | Kuznica
GR | Έβρος | Evros
IQ | Zaxo | Zakho
DE | Bielefeld | Bielefeld
""")

# Afghan names in Dari and Pashto (Perso-Arabic script): given name, family name (often none).
_AF_BOYS = _toks("""
احمد | Ahmad, Ahmed
محمد | Mohammad, Muhammad, Mohammed
علی | Ali | علي
حسین | Hussain, Hossein, Husain | حسين
نجیب | Najib, Najeeb | نجيب
فرید | Farid, Fareed | فريد
جاوید | Jawid, Javed, Javid | جاويد
مصطفی | Mustafa, Mostafa | مصطفى
سهیل | Sohail, Suhail | سهيل
امید | Omid, Umid | اميد
مهدی | Mahdi, Mehdi | مهدي
علیرضا | Alireza, Ali Reza | عليرضا
حامد | Hamid, Hamed
نوید | Navid, Nawid | نويد
ویس | Wais, Waiss, Ways | ويس
""")
_AF_GIRLS = _toks("""
مریم | Maryam, Mariam | مريم
فاطمه | Fatima, Fatemeh, Fatema | فاطمة
زهرا | Zahra, Zohra
فرشته | Fereshta, Freshta, Fereshteh
شبنم | Shabnam
نرگس | Nargis, Narges
ملالی | Malalai, Malali | ملالي
سمیرا | Samira, Sameera | سميرا
پروانه | Parwana, Parvaneh
مینا | Mina, Meena | مينا
لیلا | Laila, Leila, Layla | ليلا
ستاره | Setara, Sitara
""")
_AF_MEN = _AF_BOYS + _toks("""
رحیم | Rahim, Raheem | رحيم
کریم | Karim, Kareem | كريم
نصیر | Nasir, Naseer | نصير
قادر | Qadir, Kadir
ظاهر | Zahir, Zaher
بشیر | Bashir, Basheer | بشير
عزیز | Aziz | عزيز
حبیب | Habib, Habeeb | حبيب
""")
_AF_WOMEN = _AF_GIRLS + _toks("""
زرغونه | Zarghona, Zarghuna
شکیلا | Shakila | شكيلا
نسرین | Nasrin, Nasreen | نسرين
پروین | Parwin, Parveen | پروين
فوزیه | Fawzia, Fauzia | فوزية
حمیده | Hamida | حميدة
""")
_AF_FAMILIES = _toks("""
احمدی | Ahmadi | احمدي
حیدری | Haidari, Hydari, Heydari | حيدري
رحیمی | Rahimi | رحيمي
صدیقی | Siddiqi, Sediqi, Seddiqi | صديقي
نوری | Noori, Nouri, Nuri | نوري
کریمی | Karimi | كريمي
محمدی | Mohammadi, Muhammadi | محمدي
حسینی | Hussaini, Hosseini, Husseini | حسيني
رضایی | Rezaei, Rezai, Rezaie | رضائي
عزیزی | Azizi | عزيزي
امیری | Amiri | اميري
یوسفزی | Yousafzai, Yusufzai | يوسفزي
وردک | Wardak, Wardag
نیازی | Niazi | نيازي
""")
_AF_REGIONS = _regions("""
AF | کابل | Kabul
  کابل | Kabul
  پغمان | Paghman
AF | هرات | Herat
  هرات | Herat
  انجیل | Injil, Enjil
AF | بلخ | Balkh
  مزار شریف | Mazar-i-Sharif, Mazar-e Sharif, Mazar
AF | قندهار | Kandahar, Qandahar | | pus
  قندهار | Kandahar, Qandahar
  سپین بولدک | Spin Boldak
AF | ننگرهار | Nangarhar | | pus
  جلال آباد | Jalalabad, Jalal Abad
AF | غزنی | Ghazni | | haz prs
  جاغوری | Jaghori
AF | بامیان | Bamyan, Bamiyan | | haz prs
  بامیان | Bamyan, Bamiyan
AF | کندز | Kunduz, Kondoz
  کندز | Kunduz, Kondoz
""")
_AF_ROUTES = _routes("""
IR | تهران | Tehran, Teheran
IR | مشهد | Mashhad, Mashad
TR | Van | Van
PK | پشاور | Peshawar
BG | София | Sofia
RS | Београд | Belgrade, Beograd
AF | کابل | Kabul
""")

# Somali (Somali Latin orthography ↔ English spellings): given, father, grandfather.
_SO_BOYS = _toks("""
Cabdi | Abdi
Cabdullaahi | Abdullahi, Abdillahi, Abdulahi
Maxamed | Mohamed, Mohammed, Mahamed
Axmed | Ahmed
Cali | Ali
Xasan | Hassan, Hasan
Xuseen | Hussein, Hussen
Cumar | Omar
Yuusuf | Yusuf, Yousuf
Ismaaciil | Ismail
Faarax | Farah
Cismaan | Osman
Ibraahim | Ibrahim
Mahad | Mahad
Bashiir | Bashir
Khadar | Khadar, Kadar
Jaamac | Jama, Jamac
Nuur | Nur, Noor
Aadan | Adan, Aden
Guuleed | Guled, Guleid
""")
_SO_GIRLS = _toks("""
Faadumo | Fadumo, Fatuma, Fatima
Xaliimo | Halimo, Halima
Caasha | Asha, Aisha
Hodan | Hodan
Sahra | Sahra, Sahro
Maryan | Maryan, Mariam
Ifrah | Ifrah
Nimco | Nimo, Nimco
Ayaan | Ayan, Ayaan
Hibaaq | Hibaq
Sagal | Sagal
Khadiijo | Khadijo, Khadija
Deeqa | Deka, Deqa
Sucaad | Suad
Ubax | Ubah, Ubax
Xaawo | Hawo, Hawa
""")
_SO_NICKS = _toks("""
Dheere
Yarey
Gaab
Guray
Madoobe
""")
_SO_REGIONS = _regions("""
SO | Banaadir | Banadir, Benadir
  Muqdisho | Mogadishu, Mogadiscio
SO | Jubbada Hoose | Lower Juba
  Kismaayo | Kismayo, Kismayu
  Afmadow | Afmadow, Afmadu
SO | Baay | Bay
  Baydhabo | Baidoa, Baydhaba
  Buurhakaba | Burhakaba
SO | Shabeellaha Hoose | Lower Shabelle
  Marka | Merca, Merka
  Afgooye | Afgoye
  Baraawe | Brava, Barawa
SO | Hiiraan | Hiran
  Beledweyne | Beledweyne, Belet Weyne
SO | Gedo | Gedo
  Luuq | Luuq, Lugh
  Baardheere | Bardera, Bardere
""")
_SO_ROUTES = _routes("""
KE | Dadaab | Dadaab
ET | Doolow Addo | Dolo Ado, Dollo Ado
YE | عدن | Aden
LY | طرابلس | Tripoli
SO | Boosaaso | Bosaso, Bossaso
""")

# Tigrinya and Amharic (Ge'ez script): given name, father's name, grandfather's name.
_ET_BOYS = _toks("""
ዮናስ | Yonas, Jonas
ዳዊት | Dawit, Dawitt
ሳሙኤል | Samuel, Samiel
ዮሴፍ | Yosef, Yoseph, Yosief
ሚካኤል | Mikael, Michael, Mikiel
ሄኖክ | Henok, Henock
ብሩክ | Biruk, Bruk, Biruck
ፍሬው | Firew, Frew
ኤርሚያስ | Ermias, Ermiyas
ዳንኤል | Daniel
ሰለሞን | Solomon, Selomon
ናሆም | Nahom, Nahum
አማኑኤል | Amanuel, Emmanuel | ኣማኑኤል
በረከት | Bereket, Bereqet
""")
_ET_GIRLS = _toks("""
ሰላም | Selam, Salam
ሜሮን | Meron, Miron
ሳባ | Saba
ሊድያ | Lidya, Lydia
ሩት | Ruth, Rut
ሄለን | Helen, Hellen
ፍዮሪ | Fiyori, Fyori
ሃና | Hana, Hanna
ብርክቲ | Birikti, Brikti
ኤልሳ | Elsa
ምሕረት | Mihret, Mehret
ዮርዳኖስ | Yordanos
ቅድስት | Kidist, Qidist
""")
_ET_MEN = _ET_BOYS + _toks("""
ተስፋዬ | Tesfaye
ተስፋይ | Tesfay, Tesfai
ገብረመድህን | Gebremedhin, Ghebremedhin, Gebremedihn
ኃይሌ | Haile
ኪዳነ | Kidane
ግርማ | Girma
አበበ | Abebe
ብርሃነ | Berhane, Birhane
ጸጋይ | Tsegay, Tsegai
ሃብቶም | Habtom
ተክለ | Tekle, Tecle
ወልዱ | Woldu, Weldu
መብራህቶም | Mebrahtom
ገብረሕይወት | Gebrehiwet, Ghebrehiwet
ተወልደ | Tewelde, Tewolde
ሙሉጌታ | Mulugeta
""")
_ET_WOMEN = _ET_GIRLS + _toks("""
ለምለም | Lemlem
አስቴር | Aster, Ester
ትርሓስ | Tirhas, Trhas
ሰናይት | Senait, Senayt
አልማዝ | Almaz | ኣልማዝ
ወይኒ | Weini, Weyni
መሰረት | Meseret
ትዕግስት | Tigist, Tiegist
""")
_ET_REGIONS = _regions("""
ER | ማእከል | Maekel, Central | | tir
  ኣስመራ | Asmara, Asmera | አስመራ
ER | ደቡብ | Debub, Southern | | tir
  መንደፈራ | Mendefera
  ዓዲ ቐይሕ | Adi Keyh, Adi Keih
  ደቀምሓረ | Dekemhare
ER | ዓንሰባ | Anseba | | tir
  ከረን | Keren
ER | ጋሽ ባርካ | Gash-Barka, Gash Barka | | tir
  ባረንቱ | Barentu
  ተሰነይ | Tesseney, Teseney
ET | ትግራይ | Tigray | | tir
  መቐለ | Mekelle, Mekele, Makale
  ዓድዋ | Adwa, Adua
  ሽረ | Shire, Shire Inda Selassie
  ኣኽሱም | Axum, Aksum | አክሱም
ET | አማራ | Amhara | | amh
  ጎንደር | Gondar, Gonder
  ባሕር ዳር | Bahir Dar, Bahar Dar | ባህር ዳር
  ደሴ | Dessie, Dese
ET | አዲስ አበባ | Addis Ababa, Addis Abeba | | amh
  አዲስ አበባ | Addis Ababa, Addis Abeba
""")
_ET_ROUTES = _routes("""
SD | كسلا | Kassala
SD | الخرطوم | Khartoum
LY | بني وليد | Bani Walid
LY | طرابلس | Tripoli
NE | Agadez | Agadez
IT | Lampedusa | Lampedusa
ET | ማይ ዓይኒ | Mai Aini, Mai-Aini
""")

# Ukrainian (Cyrillic; Russian spellings as alternatives): given, patronymic, family name.
_UA_BOYS = _toks("""
Олександр | Oleksandr, Aleksandr, Alexander, Olexandr | Александр | Саша/Sasha, Сашко/Sashko
Андрій | Andrii, Andriy, Andrey | Андрей | Андрійко/Andriiko
Дмитро | Dmytro, Dmitro, Dmitry | Дмитрий | Діма/Dima
Максим | Maksym, Maksim, Maxim | | Макс/Maks
Артем | Artem, Artyom | Артём | Тема/Tema
Іван | Ivan | Иван | Ваня/Vania
Микола | Mykola, Nikolai, Nikolay | Николай | Коля/Kolia
Богдан | Bohdan, Bogdan
Тарас | Taras
Назар | Nazar
Денис | Denys, Denis
Владислав | Vladyslav, Vladislav | | Влад/Vlad
""")
_UA_GIRLS = _toks("""
Анастасія | Anastasiia, Anastasiya, Anastasia | Анастасия | Настя/Nastia
Софія | Sofiia, Sofiya, Sofia | София | Соня/Sonia
Марія | Mariia, Mariya, Maria | Мария | Маша/Masha
Дарина | Daryna, Darina
Вікторія | Viktoriia, Viktoriya, Victoria | Виктория | Віка/Vika
Юлія | Yuliia, Yuliya, Julia | Юлия | Юля/Yulia
Катерина | Kateryna, Katerina, Ekaterina | Екатерина | Катя/Katia
Поліна | Polina | Полина
Аліна | Alina | Алина
Злата | Zlata
Єва | Yeva, Eva | Ева
""")
_UA_WOMEN = _UA_GIRLS + _toks("""
Олена | Olena, Elena, Yelena | Елена | Лена/Lena
Ірина | Iryna, Irina | Ирина | Іра/Ira
Оксана | Oksana
Наталія | Nataliia, Natalia, Nataliya | Наталья | Наташа/Natasha
Світлана | Svitlana, Svetlana | Светлана | Світа/Sveta
Тетяна | Tetiana, Tetyana, Tatiana | Татьяна | Таня/Tania
""")
# Patronymics, in the order of _UA_FATHERS: a son's, a daughter's.
_UA_FATHERS = (
    "Олександр",
    "Андрій",
    "Дмитро",
    "Іван",
    "Микола",
    "Богдан",
    "Тарас",
    "Сергій",
    "Петро",
    "Володимир",
    "Віктор",
    "Юрій",
    "Олег",
    "Ігор",
)
_UA_SONS = _toks("""
Олександрович | Oleksandrovych, Aleksandrovich | Александрович
Андрійович | Andriiovych, Andreevich | Андреевич
Дмитрович | Dmytrovych, Dmitrievich | Дмитриевич
Іванович | Ivanovych, Ivanovich | Иванович
Миколайович | Mykolaiovych, Nikolaevich | Николаевич
Богданович | Bohdanovych, Bogdanovich | Богданович
Тарасович | Tarasovych, Tarasovich | Тарасович
Сергійович | Serhiiovych, Sergeevich | Сергеевич
Петрович | Petrovych, Petrovich | Петрович
Володимирович | Volodymyrovych, Vladimirovich | Владимирович
Вікторович | Viktorovych, Viktorovich | Викторович
Юрійович | Yuriiovych, Yurievich | Юрьевич
Олегович | Olehovych, Olegovich | Олегович
Ігорович | Ihorovych, Igorevich | Игоревич
""")
_UA_DAUGHTERS = _toks("""
Олександрівна | Oleksandrivna, Aleksandrovna | Александровна
Андріївна | Andriivna, Andreevna | Андреевна
Дмитрівна | Dmytrivna, Dmitrievna | Дмитриевна
Іванівна | Ivanivna, Ivanovna | Ивановна
Миколаївна | Mykolaivna, Nikolaevna | Николаевна
Богданівна | Bohdanivna, Bogdanovna | Богдановна
Тарасівна | Tarasivna, Tarasovna | Тарасовна
Сергіївна | Serhiivna, Sergeevna | Сергеевна
Петрівна | Petrivna, Petrovna | Петровна
Володимирівна | Volodymyrivna, Vladimirovna | Владимировна
Вікторівна | Viktorivna, Viktorovna | Викторовна
Юріївна | Yuriivna, Yurievna | Юрьевна
Олегівна | Olehivna, Olegovna | Олеговна
Ігорівна | Ihorivna, Igorevna | Игоревна
""")
_UA_PATRONYMICS = {f: (m, d) for f, m, d in zip(_UA_FATHERS, _UA_SONS, _UA_DAUGHTERS, strict=True)}
_UA_MEN = tuple(t for t in _UA_BOYS if t.native in _UA_PATRONYMICS) + _toks("""
Сергій | Serhii, Serhiy, Sergei, Sergey | Сергей
Петро | Petro, Pyotr, Petr | Пётр
Володимир | Volodymyr, Vladimir | Владимир
Віктор | Viktor, Victor | Виктор
Юрій | Yurii, Yuriy, Yuri | Юрий
Олег | Oleh, Oleg | Олег
Ігор | Ihor, Igor | Игорь
""")
_UA_FAMILIES = _toks("""
Коваленко | Kovalenko
Шевченко | Shevchenko
Бондаренко | Bondarenko
Ткаченко | Tkachenko
Кравченко | Kravchenko
Мельник | Melnyk, Melnik
Олійник | Oliinyk, Oliynyk, Oleinik | Олейник
Шевчук | Shevchuk
Поліщук | Polishchuk, Polischuk | Полищук
Бойко | Boiko, Boyko
Лисенко | Lysenko, Lisenko
Гончаренко | Honcharenko, Goncharenko
Руденко | Rudenko
Савченко | Savchenko
Марченко | Marchenko
Петренко | Petrenko
Кузьменко | Kuzmenko
Ковальчук | Kovalchuk
Мороз | Moroz
""")
_UA_REGIONS = _regions("""
UA | Харківська область | Kharkiv Oblast, Kharkivska oblast, Kharkov Oblast | Харьковская область
  Харків | Kharkiv, Kharkov | Харьков
  Ізюм | Izium, Izyum | Изюм
  Куп'янськ | Kupiansk, Kupyansk | Купянск
UA | Донецька область | Donetsk Oblast, Donetska oblast | Донецкая область
  Маріуполь | Mariupol | Мариуполь
  Бахмут | Bakhmut, Artemivsk
  Краматорськ | Kramatorsk | Краматорск
UA | Херсонська область | Kherson Oblast, Khersonska oblast | Херсонская область
  Херсон | Kherson
  Нова Каховка | Nova Kakhovka, Novaya Kakhovka | Новая Каховка
UA | Запорізька область | Zaporizhzhia Oblast, Zaporozhye Oblast | Запорожская область
  Мелітополь | Melitopol | Мелитополь
  Бердянськ | Berdiansk, Berdyansk | Бердянск
  Енергодар | Enerhodar, Energodar | Энергодар
UA | Луганська область | Luhansk Oblast, Luhanska oblast, Lugansk Oblast | Луганская область
  Сєвєродонецьк | Sievierodonetsk, Severodonetsk | Северодонецк
  Лисичанськ | Lysychansk, Lisichansk | Лисичанск
UA | Миколаївська область | Mykolaiv Oblast, Nikolaev Oblast | Николаевская область
  Миколаїв | Mykolaiv, Nikolaev | Николаев
""")
_UA_ROUTES = _routes("""
PL | Przemyśl | Przemysl
PL | Medyka | Medyka
MD | Palanca | Palanca
RU | Таганрог | Taganrog
UA | Запоріжжя | Zaporizhzhia, Zaporozhye
UA | Львів | Lviv, Lvov
""")

# Vietnamese (Latin with diacritics ↔ without): family name, middle name, given name.
_VN_BOYS = _toks("""
An | An
Bình | Binh
Minh | Minh
Hùng | Hung
Dũng | Dung
Tuấn | Tuan
Nam | Nam
Long | Long
Khánh | Khanh
Phúc | Phuc
Huy | Huy
Quang | Quang
Thắng | Thang
Đạt | Dat
Sơn | Son
""")
_VN_GIRLS = _toks("""
Lan | Lan
Hương | Huong
Mai | Mai
Linh | Linh
Thảo | Thao
Ngọc | Ngoc
Trang | Trang
Hà | Ha
Hạnh | Hanh
Nhung | Nhung
Vy | Vy
Yến | Yen
Phương | Phuong
Hoa | Hoa
""")
_VN_MIDDLE_M = _toks("""
Văn | Van
Đức | Duc
Minh | Minh
Quốc | Quoc
Hữu | Huu
""")
_VN_MIDDLE_F = _toks("""
Thị | Thi
Ngọc | Ngoc
Thu | Thu
Thanh | Thanh
""")
_VN_NICKS = _toks("""
Tí | Ti
Tèo | Teo
Bin | Bin
Bống | Bong
Cún | Cun
Su | Su
Bi | Bi
""")
_VN_FAMILIES = _toks("""
Nguyễn | Nguyen
Trần | Tran
Lê | Le
Phạm | Pham
Hoàng | Hoang
Huỳnh | Huynh
Phan | Phan
Vũ | Vu
Võ | Vo
Đặng | Dang
Bùi | Bui
Đỗ | Do
Hồ | Ho
Ngô | Ngo
Dương | Duong
""")
_VN_REGIONS = _regions("""
VN | Nghệ An | Nghe An
  Vinh | Vinh
  Quỳnh Lưu | Quynh Luu
  Diễn Châu | Dien Chau
  Yên Thành | Yen Thanh
VN | Hà Tĩnh | Ha Tinh
  Kỳ Anh | Ky Anh
  Cẩm Xuyên | Cam Xuyen
  Thạch Hà | Thach Ha
VN | Quảng Bình | Quang Binh
  Đồng Hới | Dong Hoi
  Bố Trạch | Bo Trach
VN | Hải Phòng | Hai Phong
  Kiến An | Kien An
  Thủy Nguyên | Thuy Nguyen | Thuỷ Nguyên
VN | Thanh Hóa | Thanh Hoa | Thanh Hoá
  Sầm Sơn | Sam Son
  Tĩnh Gia | Tinh Gia
""")
_VN_ROUTES = _routes("""
FR | Calais | Calais
FR | Grande-Synthe | Grande-Synthe
BE | Bruxelles | Brussels, Brussel
DE | Berlin | Berlin
CZ | Praha | Prague
RU | Москва | Moscow, Moskva
""")

# Rohingya (no script in common use: romanisations only; places in Burmese script).
_RH_BOYS = _toks("""
Mohammed | Mohammed, Mohammad, Muhammad, Md., Mohamed
Nur | Nur, Noor, Nour
Abdul | Abdul, Abdool
Abu | Abu
""")
_RH_SECOND = _toks("""
Alam | Alam, Alom
Yunus | Yunus, Younus, Yunous
Hussain | Hussain, Hossain, Hussein
Islam | Islam
Rashid | Rashid, Rasheed, Roshid
Kabir | Kabir, Kobir
Amin | Amin, Ameen
Salam | Salam, Solam, Salaam
Karim | Karim, Korim
Hashim | Hashim, Hasim, Hashem
Ayas | Ayas, Ayaz
Jubair | Jubair, Zubair, Jobair
Faisal | Faisal, Foysal
""")
_RH_GIRLS = _toks("""
Rahima | Rahima, Rohima
Fatema | Fatema, Fatima, Fotema
Jannat | Jannat, Jannath
Shahida | Shahida, Sahida
Rashida | Rashida, Roshida
Hasina | Hasina, Hosina
Yasmin | Yasmin, Jasmin, Yasmeen
Setara | Setara, Sitara
Minara | Minara
Anowara | Anowara, Anwara
""")
_RH_SUFFIX = _toks("""
Begum | Begum, Begom
Khatun | Khatun, Khatoon, Khatoun
Bibi | Bibi
Akter | Akter, Akhter, Aktar
""")
_RH_REGIONS = _regions("""
MM | ရခိုင်ပြည်နယ် | Rakhine State, Rakhine, Arakan
  မောင်တော | Maungdaw, Maungdu
  ဘူးသီးတောင် | Buthidaung, Buthidong
  ရသေ့တောင် | Rathedaung
  စစ်တွေ | Sittwe, Akyab
""")
_RH_ROUTES = _routes("""
BD | Kutupalong | Kutupalong
BD | Balukhali | Balukhali
BD | কক্সবাজার | Cox's Bazar
MY | Kuala Lumpur | Kuala Lumpur
ID | Aceh | Aceh
TH | Ranong | Ranong
""")


Scheme = Literal["arabic", "patronymic", "afghan", "ukrainian", "vietnamese", "rohingya"]


@dataclass(frozen=True, slots=True)
class _Culture:
    key: str
    weight: int
    scheme: Scheme
    countries: tuple[tuple[str, int], ...]
    boys: tuple[_Tok, ...]
    girls: tuple[_Tok, ...]
    men: tuple[_Tok, ...]
    women: tuple[_Tok, ...]
    families: tuple[_Tok, ...]
    regions: tuple[_Region, ...]
    languages: dict[str, tuple[tuple[str, ...], ...]]
    routes: tuple[tuple[str, _Tok], ...]
    circumstances: tuple[str, ...]
    separation: tuple[date, date]
    family_rate: float = 1.0  # how often a family has a family name at all
    middle_m: tuple[_Tok, ...] = ()  # Vietnamese middle names; Rohingya second names
    middle_f: tuple[_Tok, ...] = ()  # Vietnamese middle names; Rohingya suffixes
    nicknames: tuple[_Tok, ...] = ()
    has_script: bool = True
    stateless_rate: float = 0.0


_FLIGHT = (
    "Separated while fleeing shelling of the home town",
    "Separated at a checkpoint; the child was taken to another vehicle",
    "Lost contact in the crowd at a border crossing",
    "Separated during a night-time crossing on foot",
    "The group was split by the smuggler; the child continued alone",
    "Separated when the boat was intercepted and passengers were taken to different places",
)


def _culture(
    key: str,
    weight: int,
    scheme: Scheme,
    *,
    countries: tuple[tuple[str, int], ...],
    names: tuple[tuple[_Tok, ...], tuple[_Tok, ...], tuple[_Tok, ...], tuple[_Tok, ...]],
    families: tuple[_Tok, ...] = (),
    regions: tuple[_Region, ...],
    languages: dict[str, tuple[tuple[str, ...], ...]],
    routes: tuple[tuple[str, _Tok], ...],
    circumstances: tuple[str, ...],
    separation: tuple[date, date],
    **options: Any,
) -> _Culture:
    boys, girls, men, women = names
    return _Culture(
        key,
        weight,
        scheme,
        countries,
        boys,
        girls,
        men,
        women,
        families,
        regions,
        languages,
        routes,
        circumstances,
        separation,
        **options,
    )


_CULTURES: tuple[_Culture, ...] = (
    _culture(
        "arabic",
        20,
        "arabic",
        countries=(("SY", 50), ("IQ", 25), ("SD", 25)),
        names=(_AR_BOYS, _AR_GIRLS, _AR_MEN, _AR_WOMEN),
        families=_AR_FAMILIES,
        family_rate=0.9,
        regions=_AR_REGIONS,
        languages={
            "SY": (("ara",),),
            "IQ": (("ara",), ("ara", "kur")),
            "SD": (("ara",), ("apd", "ara")),
        },
        routes=_AR_ROUTES,
        circumstances=(
            *_FLIGHT,
            "Separated when the family fled an airstrike on the neighbourhood",
        ),
        separation=(date(2014, 1, 1), date(2025, 6, 30)),
    ),
    _culture(
        "kurdish",
        10,
        "arabic",
        countries=(("SY", 40), ("IQ", 40), ("TR", 20)),
        names=(_KU_BOYS, _KU_GIRLS, _KU_MEN, _KU_WOMEN),
        families=_KU_FAMILIES,
        family_rate=0.6,
        regions=_KU_REGIONS,
        languages={"SY": (("kmr",),), "IQ": (("kmr",),), "TR": (("kmr", "tur"),)},
        routes=_KU_ROUTES,
        circumstances=(
            *_FLIGHT,
            "Separated when the village was attacked; the family fled to the mountain",
        ),
        separation=(date(2014, 8, 1), date(2025, 6, 30)),
        stateless_rate=0.15,
    ),
    _culture(
        "afghan",
        12,
        "afghan",
        countries=(("AF", 1),),
        names=(_AF_BOYS, _AF_GIRLS, _AF_MEN, _AF_WOMEN),
        families=_AF_FAMILIES,
        family_rate=0.75,
        regions=_AF_REGIONS,
        languages={"AF": (("prs",), ("pus",), ("prs", "pus"))},
        routes=_AF_ROUTES,
        circumstances=(
            *_FLIGHT,
            "Separated in the crowd at the airport during the evacuation",
            "Sent ahead alone by the family with a group of neighbours",
        ),
        separation=(date(2016, 1, 1), date(2025, 6, 30)),
    ),
    _culture(
        "somali",
        10,
        "patronymic",
        countries=(("SO", 1),),
        names=(_SO_BOYS, _SO_GIRLS, _SO_BOYS, _SO_GIRLS),
        regions=_SO_REGIONS,
        languages={"SO": (("som",), ("som", "ara"))},
        routes=_SO_ROUTES,
        circumstances=(
            *_FLIGHT[:4],
            "Separated when the family was displaced by drought and fighting",
            "Left with relatives in the camp while the mother looked for work",
        ),
        separation=(date(2016, 1, 1), date(2025, 6, 30)),
        nicknames=_SO_NICKS,
    ),
    _culture(
        "ethiopic",
        14,
        "patronymic",
        countries=(("ER", 55), ("ET", 45)),
        names=(_ET_BOYS, _ET_GIRLS, _ET_MEN, _ET_WOMEN),
        regions=_ET_REGIONS,
        languages={"ER": (("tir",),), "ET": (("amh",),)},
        routes=_ET_ROUTES,
        circumstances=(
            *_FLIGHT,
            "Separated in the desert when the truck broke down",
            "Separated from the mother in the refugee camp after a relocation",
        ),
        separation=(date(2016, 1, 1), date(2025, 6, 30)),
    ),
    _culture(
        "ukrainian",
        14,
        "ukrainian",
        countries=(("UA", 1),),
        names=(_UA_BOYS, _UA_GIRLS, _UA_MEN, _UA_WOMEN),
        families=_UA_FAMILIES,
        regions=_UA_REGIONS,
        languages={"UA": (("ukr",), ("ukr", "rus"), ("rus",))},
        routes=_UA_ROUTES,
        circumstances=(
            "Separated during the evacuation by train",
            "Taken to a camp after the family passed a filtration point",
            "Separated when the parent was detained",
            "Evacuated with a school group; the parent stayed behind",
            "Separated while sheltering in a basement during shelling",
        ),
        separation=(date(2022, 2, 24), date(2025, 6, 30)),
    ),
    _culture(
        "vietnamese",
        10,
        "vietnamese",
        countries=(("VN", 1),),
        names=(_VN_BOYS, _VN_GIRLS, _VN_BOYS, _VN_GIRLS),
        families=_VN_FAMILIES,
        regions=_VN_REGIONS,
        languages={"VN": (("vie",),)},
        routes=_VN_ROUTES,
        circumstances=(
            "Left in the care of a travel agent; contact lost in transit",
            "Separated from the travel group at a border",
            "Contact lost after the child left a reception centre",
        ),
        separation=(date(2018, 1, 1), date(2025, 6, 30)),
        middle_m=_VN_MIDDLE_M,
        middle_f=_VN_MIDDLE_F,
        nicknames=_VN_NICKS,
    ),
    _culture(
        "rohingya",
        10,
        "rohingya",
        countries=(("MM", 1),),
        names=(_RH_BOYS, _RH_GIRLS, _RH_BOYS, _RH_GIRLS),
        regions=_RH_REGIONS,
        languages={"MM": (("rhg",), ("rhg", "mya"))},
        routes=_RH_ROUTES,
        circumstances=(
            "Separated when fleeing the village at night",
            "Separated during the boat journey",
            "Separated in the camp after a fire",
            "Separated in the crowd at the border crossing",
        ),
        separation=(date(2017, 8, 1), date(2025, 6, 30)),
        middle_m=_RH_SECOND,
        middle_f=_RH_SUFFIX,
        has_script=False,
        stateless_rate=0.8,
    ),
)

_MARKS = (
    ("Scar above the left eyebrow", "small scar over the left eye"),
    ("Birthmark on the right forearm", "brown birthmark on the right arm"),
    ("Burn scar on the left hand", "old burn on the left hand"),
    ("Upper front tooth missing", "a front tooth is missing"),
    ("Mole on the right cheek", "mole on the right cheek"),
    ("Walks with a slight limp (right leg)", "limps a little"),
    ("Scar on the chin", "scar under the chin from a fall"),
)


# --------------------------------------------------------------------------------------------
# The truth: families and their people
# --------------------------------------------------------------------------------------------

Part = tuple[str, _Tok]  # (role, token): given, father, grandfather, family, middle, ...


@dataclass(slots=True)
class _Human:
    sex: Literal["female", "male"]
    parts: tuple[Part, ...]
    birth: date
    brief: _Tok  # what the family calls them
    nick: _Tok | None = None


@dataclass(slots=True)
class _Family:
    culture: _Culture
    region: _Region
    locality: _Tok
    last: tuple[_Region, _Tok]  # last address before separation
    languages: tuple[str, ...]
    nationality: str
    children: list[_Human]
    father: _Human
    mother: _Human
    grandparent: _Human
    aunt_uncle: _Human
    separated: date
    separation_place: tuple[str, _Tok] | None
    circumstances: str
    mark: tuple[str, str] | None
    unhcr: str | None
    family_id: str | None = None
    tr_child: int = 0  # the child with a tracing request


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _date_between(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _parts(
    rng: random.Random,
    cul: _Culture,
    sex: Literal["female", "male"],
    given: _Tok,
    *,
    father: _Tok | None = None,
    grandfather: _Tok | None = None,
    family: _Tok | None = None,
) -> tuple[Part, ...]:
    father = father or rng.choice(cul.men)
    grandfather = grandfather or rng.choice(cul.men)
    if cul.scheme == "arabic":
        return (("given", given), ("father", father)) + ((("family", family),) if family else ())
    if cul.scheme == "patronymic":
        return (("given", given), ("father", father), ("grandfather", grandfather))
    if cul.scheme == "afghan":
        return (("given", given),) + ((("family", family),) if family else ())
    if cul.scheme == "ukrainian":
        son, daughter = _UA_PATRONYMICS[father.native]
        patronymic = son if sex == "male" else daughter
        assert family is not None
        return (("given", given), ("patronymic", patronymic), ("family", family))
    if cul.scheme == "vietnamese":
        middles = cul.middle_m if sex == "male" else cul.middle_f
        middle = rng.choice([t for t in middles if t.native != given.native])
        assert family is not None
        return (("family", family), ("middle", middle), ("given", given))
    second = rng.choice(cul.middle_m if sex == "male" else cul.middle_f)
    return (("given", given), ("middle", second))


def _human(
    rng: random.Random,
    cul: _Culture,
    sex: Literal["female", "male"],
    given: _Tok,
    birth: date,
    **kin: _Tok | None,
) -> _Human:
    parts = _parts(rng, cul, sex, given, **kin)
    brief = given
    if cul.scheme == "rohingya" and sex == "male":
        brief = parts[1][1]
    return _Human(sex, parts, birth, brief)


def _pick_family_name(rng: random.Random, cul: _Culture) -> _Tok | None:
    if not cul.families or not _chance(rng, cul.family_rate):
        return None
    return rng.choice(cul.families)


def _make_family(rng: random.Random, cul: _Culture) -> _Family:
    country = rng.choices([c for c, _ in cul.countries], [w for _, w in cul.countries])[0]
    region = rng.choice([r for r in cul.regions if r.country == country])
    locality = rng.choice(region.localities)
    last = (region, locality)
    if _chance(rng, 0.25):  # displaced inside the country before separation
        other = rng.choice([r for r in cul.regions if r.country == country])
        last = (other, rng.choice(other.localities))
    languages = region.languages or rng.choice(cul.languages[country])
    nationality = "stateless" if _chance(rng, cul.stateless_rate) else country

    n_children = rng.choices([1, 2, 3], [60, 28, 12])[0]
    eldest = _date_between(
        rng, _EARLIEST_BIRTH, _LATEST_BIRTH - timedelta(days=2 * 365 * (n_children - 1))
    )
    births = [eldest]
    for _ in range(n_children - 1):
        births.append(min(births[-1] + timedelta(days=rng.randint(400, 1500)), _LATEST_BIRTH))

    family = _pick_family_name(rng, cul)
    if cul.scheme in ("ukrainian", "vietnamese"):
        family = rng.choice(cul.families)
    mother_family = _pick_family_name(rng, cul)
    if cul.scheme == "ukrainian":
        mother_family = family  # married name
    elif cul.scheme == "vietnamese":
        mother_family = rng.choice(cul.families)
    grandfather = rng.choice(cul.men)
    father_given = rng.choice([t for t in cul.men if t is not grandfather])
    mother_given = rng.choice(cul.women)

    father = _human(
        rng,
        cul,
        "male",
        father_given,
        _date_between(rng, _years_before(eldest, 42), _years_before(eldest, 20)),
        father=grandfather,
        family=family,
    )
    mother = _human(
        rng,
        cul,
        "female",
        mother_given,
        _date_between(rng, _years_before(eldest, 38), _years_before(eldest, 18)),
        family=mother_family,
    )
    grandparent_sex: Literal["female", "male"] = rng.choice(("female", "male"))
    if grandparent_sex == "male":
        grandparent = _human(
            rng,
            cul,
            "male",
            grandfather,
            _years_before(father.birth, rng.randint(20, 35)),
            family=family,
        )
    else:
        grandparent = _human(
            rng,
            cul,
            "female",
            rng.choice(cul.women),
            _years_before(father.birth, rng.randint(18, 32)),
            family=_pick_family_name(rng, cul) if cul.scheme != "ukrainian" else family,
        )
    aunt_uncle = _human(
        rng,
        cul,
        "male",
        rng.choice(cul.men),
        min(_years_before(father.birth, rng.randint(-8, 8)), _years_before(eldest, 18)),
        father=grandfather,
        family=family,
    )

    children: list[_Human] = []
    used = {father_given.native, mother_given.native}  # no child named after a parent
    for birth in births:
        sex: Literal["female", "male"] = rng.choice(("female", "male"))
        pool = [t for t in (cul.boys if sex == "male" else cul.girls) if t.native not in used]
        given = rng.choice(pool)
        used.add(given.native)
        child = _human(
            rng,
            cul,
            sex,
            given,
            birth,
            father=father_given,
            grandfather=grandfather,
            family=family,
        )
        nicks = given.nick or cul.nicknames
        if nicks and _chance(rng, 0.35):
            child.nick = rng.choice(nicks)
        children.append(child)

    youngest = births[-1]
    lo, hi = cul.separation
    lo = max(lo, youngest + timedelta(days=365))
    if lo > hi:
        hi = _LATEST_SEPARATION
    separated = _date_between(rng, lo, hi)
    route = rng.choice(cul.routes) if _chance(rng, 0.6) else None
    return _Family(
        culture=cul,
        region=region,
        locality=locality,
        last=last,
        languages=tuple(languages),
        nationality=nationality,
        children=children,
        father=father,
        mother=mother,
        grandparent=grandparent,
        aunt_uncle=aunt_uncle,
        separated=separated,
        separation_place=route,
        circumstances=rng.choice(
            [c for c in cul.circumstances if route is not None or "boat" not in c]
        ),
        mark=rng.choice(_MARKS) if _chance(rng, 0.25) else None,
        unhcr=(
            f"{rng.randint(100, 999)}-{separated.year % 100:02d}C{rng.randint(0, 99999):05d}"
            if _chance(rng, 0.35)
            else None
        ),
        tr_child=rng.randrange(n_children),
    )


# --------------------------------------------------------------------------------------------
# Writing the truth down the way one organisation would
# --------------------------------------------------------------------------------------------

Style = Literal["native", "roman"]


@dataclass(slots=True)
class _Writer:
    """How one record is written: native script or a romanisation, and its habits."""

    rng: random.Random
    culture: _Culture
    style: Style
    use_alt: bool  # hamza dropped, Russian forms, Arabic letters for Persian ones...
    chosen: dict[int, str] = field(default_factory=dict)

    def word(self, tok: _Tok, style: Style | None = None) -> str:
        style = style or self.style
        key = id(tok) * 2 + (style == "roman")
        if key not in self.chosen:
            rng = self.rng
            if style == "native":
                text = tok.native
                if self.use_alt and tok.alt and _chance(rng, 0.7):
                    text = rng.choice(tok.alt)
            else:
                text = tok.latin[0] if _chance(rng, 0.55) else rng.choice(tok.latin)
                if len(text) >= 5 and " " not in text and _chance(rng, 0.04):
                    text = _typo(rng, text)
            self.chosen[key] = text
        return self.chosen[key]

    def place(self, region: _Region, locality: _Tok, *, admin1: float = 0.55) -> dict[str, Any]:
        rng = self.rng
        style: Style = self.style
        if self.culture.has_script or region.country != "MM":
            if _chance(rng, 0.2):
                style = "roman" if style == "native" else "native"
        else:
            style = "roman" if _chance(rng, 0.7) else "native"
        place: dict[str, Any] = {}
        if _chance(rng, 0.95):
            place["country"] = region.country
        with_admin1 = _chance(rng, admin1)
        if with_admin1:
            place["admin1"] = self.word(region.admin1, style)
        if not with_admin1 or _chance(rng, 0.9):
            place["locality"] = self.word(locality, style)
        return place


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, len(text) - 2)
    kind = rng.randrange(3)
    if kind == 0:  # swap two letters
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:  # double a letter
        return text[: i + 1] + text[i] + text[i + 1 :]
    return text[:i] + text[i + 1 :]  # drop a letter


def _name_fields(
    w: _Writer, person: _Human, *, brief: float = 0.0, nick: float = 0.0
) -> dict[str, Any]:
    """full_name and the optional name fields of a person, as this writer writes them."""
    rng, cul = w.rng, w.culture
    roles = dict(person.parts)
    kept = list(person.parts)
    upper_family = False
    if _chance(rng, brief):
        kept = [("given", person.brief)]
    elif cul.scheme == "arabic":
        if "family" in roles and _chance(rng, 0.3):
            kept = [p for p in kept if p[0] != "father"]
        elif "family" in roles and _chance(rng, 0.15):
            kept = [p for p in kept if p[0] != "family"]
    elif cul.scheme == "patronymic":
        if _chance(rng, 0.45):
            kept = kept[:2]
    elif cul.scheme == "afghan":
        if len(kept) > 1 and _chance(rng, 0.2):
            kept = kept[:1]
    elif cul.scheme == "ukrainian":
        p_given, p_patronymic, p_family = kept
        if w.style == "native" and _chance(rng, 0.5):
            kept = [p_family, p_given, p_patronymic]  # official order
        elif w.style == "native":
            kept = [p_given, p_family] if _chance(rng, 0.7) else [p_given, p_patronymic, p_family]
        else:
            kept = [p_given, p_family] if _chance(rng, 0.85) else [p_given, p_patronymic, p_family]
            if _chance(rng, 0.15):
                kept = [p_family, p_given]
                upper_family = True
    elif cul.scheme == "vietnamese":
        p_family, _, p_given = kept
        if _chance(rng, 0.2):
            kept = [p_family, p_given]
        if w.style == "roman" and _chance(rng, 0.35):  # Western order
            kept = [p for p in kept if p[0] != "family"] + [p_family]
    if (
        cul.scheme in ("arabic", "afghan")
        and w.style == "roman"
        and len(kept) > 1
        and kept[-1][0] == "family"
        and _chance(rng, 0.08)
    ):  # FAMILY NAME first, as on some registration forms
        kept = [kept[-1], *kept[:-1]]
        upper_family = True

    def words(style: Style) -> list[str]:
        out = []
        for role, tok in kept:
            text = w.word(tok, style)
            upper = upper_family and role == "family" and style == "roman"
            out.append(text.upper() if upper else text)
        return out

    body: dict[str, Any] = {"full_name": " ".join(words(w.style))}
    native_differs = cul.has_script and w.style == "roman"
    if native_differs and _chance(rng, 0.4):
        native_name = " ".join(words("native"))
        if native_name != body["full_name"]:
            body["native_name"] = native_name
    kept_roles = dict(kept)
    if len(kept) > 1 and _chance(rng, 0.45):
        body["given_name"] = w.word(kept_roles.get("given", person.brief))
        family = kept_roles.get("family")
        if family is None and cul.scheme == "patronymic":
            family = kept_roles.get("father")  # how Europe registers Eritreans and Ethiopians
        if family is not None:
            body["family_name"] = w.word(family)
    others: list[str] = []
    if person.nick is not None and _chance(rng, nick):
        others.append(w.word(person.nick))
    if w.style == "roman" and _chance(rng, 0.08):
        given = roles.get("given", person.brief)
        spellings = [s for s in given.latin if s != w.word(given)]
        if spellings:
            others.append(rng.choice(spellings))
    if others:
        body["other_names"] = others
    return body


def _age_fields(
    rng: random.Random, birth: date, as_of: date, *, child: bool, knows_birth: float
) -> dict[str, Any]:
    """date_of_birth and/or an estimated age with age_as_of."""
    out: dict[str, Any] = {}
    with_birth = _chance(rng, knows_birth)
    if with_birth:
        r = rng.random()
        if r < 0.5:
            out["date_of_birth"] = birth.isoformat()
        elif r < 0.65:
            out["date_of_birth"] = birth.isoformat()[:7]
        elif r < 0.85:
            out["date_of_birth"] = str(birth.year)
        else:  # registration systems write an unknown day and month as 01-01
            out["date_of_birth"] = f"{birth.year}-01-01"
    if not with_birth or _chance(rng, 0.15):
        true_age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
        estimate = true_age + rng.choices([-2, -1, 0, 1, 2], [1, 3, 5, 3, 1])[0]
        lo, hi = 0, 130
        if child:  # stay a child aged 2-17 in the reference year
            shift = _REFERENCE_YEAR - as_of.year
            lo, hi = max(1, 2 - shift), 17 - shift
        else:
            lo = 18
        estimate = min(max(estimate, lo), hi)
        r = rng.random()
        age: int | str = estimate
        if r < 0.2:
            age = str(estimate)
        elif r < 0.45:
            low, high = max(estimate - 1, lo), min(estimate + 1, hi)
            age = f"{low}-{high}" if low < high else estimate
        out["age"] = age
        out["age_as_of"] = as_of.isoformat()
    return out


def _partial(rng: random.Random, d: date, weights: tuple[int, int, int]) -> str:
    return rng.choices([d.isoformat(), d.isoformat()[:7], str(d.year)], weights)[0]


def _separation(w: _Writer, fam: _Family, registered: date, *, shift: int = 0) -> dict[str, Any]:
    rng = w.rng
    out: dict[str, Any] = {}
    when = min(fam.separated + timedelta(days=shift), registered)
    if _chance(rng, 0.85):
        out["date"] = _partial(rng, when, (4, 4, 2))
    if _chance(rng, 0.7):
        if fam.separation_place is not None:
            country, tok = fam.separation_place
            style: Style = "native" if _chance(rng, 0.5) else "roman"
            place: dict[str, Any] = {"country": country, "locality": w.word(tok, style)}
            out["place"] = place
        else:
            out["place"] = w.place(*fam.last)
    if _chance(rng, 0.6):
        out["circumstances"] = fam.circumstances
    if not out:
        out["date"] = str(when.year)
    return out


def _child_body(
    w: _Writer, fam: _Family, child: _Human, as_of: date, *, by_parent: bool
) -> dict[str, Any]:
    """The subject of a tracing request (by_parent False) or a sought child of an enquiry."""
    rng = w.rng
    body = _name_fields(w, child, nick=0.5 if by_parent else 0.6)
    if _chance(rng, 0.97):
        body["sex"] = child.sex
    elif _chance(rng, 0.5):
        body["sex"] = "unknown"
    body |= _age_fields(rng, child.birth, as_of, child=True, knows_birth=0.8 if by_parent else 0.4)
    if _chance(rng, 0.7 if not by_parent else 0.5):
        body["place_of_origin"] = w.place(fam.region, fam.locality)
    if _chance(rng, 0.3):
        body["last_known_address"] = w.place(*fam.last, admin1=0.3)
    if _chance(rng, 0.4):
        body["nationality"] = fam.nationality
    if _chance(rng, 0.6 if not by_parent else 0.3):
        body["languages"] = list(fam.languages)
    identifiers = []
    if fam.unhcr and child is fam.children[fam.tr_child] and _chance(rng, 0.6):
        value = fam.unhcr if _chance(rng, 0.85) else _typo_digit(rng, fam.unhcr)
        identifiers.append({"type": "unhcr", "value": value})
    if not by_parent and _chance(rng, 0.1):
        number = f"ICRC-{fam.region.country}-{rng.randint(0, 999999):06d}"
        identifiers.append({"type": "icrc", "value": number})
    if identifiers:
        body["identifiers"] = identifiers
    if fam.mark is not None and child is fam.children[fam.tr_child] and _chance(rng, 0.6):
        body["distinguishing_marks"] = fam.mark[1 if by_parent else 0]
    return body


def _typo_digit(rng: random.Random, value: str) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    i = rng.choice(digits)
    return value[:i] + str((int(value[i]) + rng.randint(1, 9)) % 10) + value[i + 1 :]


def _relative_body(
    w: _Writer,
    fam: _Family,
    person: _Human,
    relationship: str,
    as_of: date,
    *,
    by_child: bool,
) -> dict[str, Any]:
    rng, cul = w.rng, fam.culture
    body = _name_fields(w, person, brief=0.35 if by_child else 0.0, nick=0.3)
    if (
        by_child
        and relationship == "mother"
        and cul.key == "arabic"
        and _chance(rng, 0.25)
        and any(c.sex == "male" for c in fam.children)
    ):
        son = next(c for c in fam.children if c.sex == "male")
        kunya = (
            f"أم {w.word(son.brief, 'native')}"
            if w.style == "native"
            else f"Umm {w.word(son.brief)}"
        )
        body.setdefault("other_names", []).append(kunya)
    if _chance(rng, 0.9):
        body["sex"] = person.sex
    child = relationship == "sibling"
    if _chance(rng, 0.6 if child else 0.35):
        body |= _age_fields(
            rng, person.birth, as_of, child=child, knows_birth=0.1 if by_child else 0.6
        )
    if not by_child and _chance(rng, 0.3):
        body["place_of_origin"] = w.place(fam.region, fam.locality)
    body["relationship"] = relationship
    return body


@dataclass(slots=True)
class _Draft:
    kind: Kind
    organisation: str
    registered: date
    body: dict[str, Any]
    pair: str | None


@dataclass(slots=True)
class _Generator:
    rng: random.Random
    contacts: int = 0
    drafts: list[_Draft] = field(default_factory=list)

    def consent(self, registered: date, given_by: str, *, lone: bool) -> dict[str, Any]:
        rng = self.rng
        return {
            "tracing": not _chance(rng, 0.25 if lone else 0.03),
            "share_with_partners": _chance(rng, 0.7),
            "given_by": given_by,
            "date": registered.isoformat(),
        }

    def registered(self, fam: _Family, lo: int, hi: int) -> date:
        return min(fam.separated + timedelta(days=self.rng.randint(lo, hi)), _LATEST_REGISTRATION)

    def writer(self, fam: _Family, style: Style) -> _Writer:
        return _Writer(self.rng, fam.culture, style, use_alt=_chance(self.rng, 0.3))

    def tracing_request(
        self, fam: _Family, org: str, style: Style, *, lone: bool = False, late: int = 0
    ) -> None:
        rng = self.rng
        w = self.writer(fam, style)
        registered = self.registered(fam, 7 + late, 300 + late)
        child = fam.children[fam.tr_child]
        age = (registered - child.birth).days // 365
        given_by = (
            "child"
            if age >= 12 and _chance(rng, 0.6)
            else rng.choice(("guardian", "caregiver", "agency"))
        )
        body: dict[str, Any] = {
            "consent": self.consent(registered, given_by, lone=lone),
            "subject": _child_body(w, fam, child, registered, by_parent=False),
        }
        relatives = []
        if _chance(rng, 0.75):
            relatives.append(
                _relative_body(w, fam, fam.mother, "mother", registered, by_child=True)
            )
        if _chance(rng, 0.65):
            relatives.append(
                _relative_body(w, fam, fam.father, "father", registered, by_child=True)
            )
        for i, sibling in enumerate(fam.children):
            if i != fam.tr_child and _chance(rng, 0.5):
                relatives.append(
                    _relative_body(w, fam, sibling, "sibling", registered, by_child=True)
                )
        if _chance(rng, 0.08):
            relatives.append(
                _relative_body(w, fam, fam.grandparent, "grandparent", registered, by_child=True)
            )
        if relatives:
            body["relatives"] = relatives
        if _chance(rng, 0.8):
            body["separation"] = _separation(w, fam, registered)
        self.drafts.append(_Draft("tracing_request", org, registered, body, fam.family_id))

    def enquiry(
        self, fam: _Family, org: str, style: Style, *, lone: bool = False, second: bool = False
    ) -> None:
        rng = self.rng
        w = self.writer(fam, style)
        registered = self.registered(fam, 3, 500)
        if second:
            relationship = rng.choice(("grandparent", "aunt_uncle"))
        else:
            relationship = rng.choices(
                ["mother", "father", "grandparent", "aunt_uncle", "none"], [55, 28, 6, 6, 5]
            )[0]
        enquirer = {
            "mother": fam.mother,
            "father": fam.father,
            "grandparent": fam.grandparent,
            "aunt_uncle": fam.aunt_uncle,
        }.get(relationship)
        tr_child = fam.children[fam.tr_child]
        sought_people = [tr_child]
        if len(fam.children) > 1 and _chance(rng, 0.8):
            sought_people = list(fam.children)
            rng.shuffle(sought_people)
        body: dict[str, Any] = {
            "consent": self.consent(
                registered,
                "parent"
                if relationship in ("mother", "father")
                else rng.choice(("guardian", "caregiver"))
                if enquirer
                else "agency",
                lone=lone,
            ),
            "sought": [_child_body(w, fam, c, registered, by_parent=True) for c in sought_people],
        }
        if enquirer is not None:
            person = _relative_body(w, fam, enquirer, relationship, registered, by_child=False)
            if _chance(rng, 0.4):
                person["languages"] = list(fam.languages)
            if fam.nationality != "stateless" and _chance(rng, 0.15):
                person["identifiers"] = [
                    {"type": "national_id", "value": f"{rng.randint(0, 10**10 - 1):010d}"}
                ]
            person["contact"] = self.contact(org)
            body["enquirer"] = person
        relatives = []
        parents = {"mother": fam.mother, "father": fam.father}
        for rel, parent in parents.items():
            if parent is not enquirer and _chance(
                rng, 0.6 if enquirer in parents.values() else 0.7
            ):
                relatives.append(_relative_body(w, fam, parent, rel, registered, by_child=False))
        for child in fam.children:
            if child not in sought_people and _chance(rng, 0.5):
                relatives.append(
                    _relative_body(w, fam, child, "sibling", registered, by_child=False)
                )
        if relatives:
            body["relatives"] = relatives
        if _chance(rng, 0.8):
            body["separation"] = _separation(w, fam, registered, shift=rng.randint(-20, 20))
        self.drafts.append(_Draft("enquiry", org, registered, body, fam.family_id))

    def contact(self, org: str) -> dict[str, str]:
        rng = self.rng
        self.contacts += 1
        n = self.contacts
        contact: dict[str, str] = {}
        if _chance(rng, 0.85):
            contact["phone"] = f"+000 555 {100 + n:04d}"
        if not contact or _chance(rng, 0.4):
            contact["email"] = f"enquirer.{n:04d}@example.org"
        if _chance(rng, 0.2):
            contact["address"] = f"c/o {org}, {n} Example Street, Demo City"
        return contact


def _styles(rng: random.Random, cul: _Culture) -> tuple[Style, Style]:
    """How the tracing request and the enquiry of a pair write the child's name."""
    if not cul.has_script:
        return "roman", "roman"
    r = rng.random()
    if r < 0.45:
        return "native", "roman"
    if r < 0.8:
        return "roman", "native"
    if r < 0.9:
        return "roman", "roman"
    return "native", "native"


def demo_records(*, seed: int = 2026, families: int = 150) -> list[DemoRecord]:
    """A few hundred synthetic tracing requests and enquiries, deterministic for a seed.

    `families` is the number of families with a true pair: a tracing request for one child
    and an enquiry by a relative (about 8% also get a duplicate tracing request by another
    organisation, about 6% a second enquiry by another relative). About 30% as many further
    families contribute one record without a counterpart. Records come in registration order;
    external ids are numbered per organisation in that order.
    """
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    gen = _Generator(rng)
    cultures = list(_CULTURES)
    weights = [c.weight for c in cultures]
    lone_families = round(families * 0.3)
    for index in range(families + lone_families):
        cul = rng.choices(cultures, weights)[0]
        fam = _make_family(rng, cul)
        if index >= families:  # a record with no counterpart
            style: Style = "native" if cul.has_script and _chance(rng, 0.5) else "roman"
            if _chance(rng, 0.5):
                gen.tracing_request(fam, rng.choice((_NORTH, _EAST)), style, lone=True)
            else:
                gen.enquiry(fam, rng.choice((_WEST, _NORTH, _EAST)), style, lone=True)
            continue
        fam.family_id = f"FAM-{index + 1:04d}"
        tr_style, enq_style = _styles(rng, cul)
        tr_org = rng.choice((_NORTH, _EAST))
        gen.tracing_request(fam, tr_org, tr_style)
        gen.enquiry(fam, rng.choices((_WEST, _NORTH, _EAST), (5, 3, 2))[0], enq_style)
        if _chance(rng, 0.08):  # the same child registered again by another organisation
            dup_org = rng.choice([o for o in ORGANISATIONS if o != tr_org])
            dup_style: Style = rng.choice(("native", "roman")) if cul.has_script else "roman"
            gen.tracing_request(fam, dup_org, dup_style, late=rng.randint(20, 200))
        if _chance(rng, 0.06):  # a grandparent or an uncle asks too
            gen.enquiry(fam, rng.choice(tuple(ORGANISATIONS)), enq_style, second=True)

    gen.drafts.sort(key=lambda d: d.registered)  # stable: ties keep generation order
    counters = dict.fromkeys(ORGANISATIONS, 0)
    records: list[DemoRecord] = []
    for draft in gen.drafts:
        counters[draft.organisation] += 1
        external_id = f"{ORGANISATIONS[draft.organisation]}-{counters[draft.organisation]:06d}"
        body = {"external_id": external_id, **draft.body}
        records.append(DemoRecord(draft.kind, body, draft.organisation, draft.pair))
    return records
