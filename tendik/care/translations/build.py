"""Russian, Kazakh and English translations of the care app's interface strings, written
as .po fragments (ru.po, kk.po, en.po) to merge into tendik/locale/<lang>/LC_MESSAGES/
django.po:  msgcat --use-first tendik/locale/ru/LC_MESSAGES/django.po ru.po -o …

Run: .venv/bin/python tendik/care/translations/build.py
"""

from __future__ import annotations

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent

# msgid: (Russian, Kazakh)
STRINGS: dict[str, tuple[str, str]] = {
    "Special social services": ("Специальные социальные услуги",
                                "Арнаулы әлеуметтік қызметтер"),
    "Month": ("Месяц", "Ай"),
    "Recipient's IIN": ("ИИН получателя", "Алушының ЖСН"),
    "12 digits. The recipient must be in the register of your region.": (
        "12 цифр. Получатель должен быть в регистре вашего региона.",
        "12 цифр. Алушы сіздің өңіріңіздің тізілімінде болуы тиіс."),
    "Provider": ("Поставщик услуг", "Қызмет беруші"),
    "Form of care": ("Форма обслуживания", "Қызмет көрсету нысаны"),
    "Until": ("По", "Дейін"),
    "Leave empty: until further notice.": ("Оставьте пустым: бессрочно.",
                                           "Бос қалдырыңыз: мерзімсіз."),
    "Decision number": ("Номер решения", "Шешім нөмірі"),
    "The akimat's decision to provide the services.": (
        "Решение акимата об оказании услуг.", "Қызмет көрсету туралы әкімдік шешімі."),
    "No recipient with this IIN in your region's register.": (
        "В регистре вашего региона нет получателя с этим ИИН.",
        "Өңіріңіздің тізілімінде бұл ЖСН-мен алушы жоқ."),
    "Last day of services": ("Последний день оказания услуг", "Қызмет көрсетудің соңғы күні"),
    "Per person per month, tenge": ("На одного человека в месяц, тенге",
                                    "Бір адамға айына, теңге"),
    "The order or decision that sets the rate.": (
        "Приказ или решение, которым установлен тариф.",
        "Тарифті белгілеген бұйрық немесе шешім."),
    "%(category)s, tenge": ("%(category)s, тенге", "%(category)s, теңге"),
    "Give the amount of at least one category.": (
        "Укажите сумму хотя бы по одной статье.", "Кемінде бір бап бойынша соманы көрсетіңіз."),
    "home care": ("на дому", "үйде"),
    "day care": ("полустационар (дневное пребывание)", "жартылай стационар (күндізгі болу)"),
    "inpatient": ("стационар", "стационар"),
    "temporary stay": ("временное пребывание", "уақытша болу"),
    "private": ("частная", "жеке меншік"),
    "ownership": ("форма собственности", "меншік нысаны"),
    "licence number": ("номер лицензии", "лицензия нөмірі"),
    "licence date": ("дата лицензии", "лицензия күні"),
    "special social services provider": ("поставщик специальных социальных услуг",
                                         "арнаулы әлеуметтік қызметтерді беруші"),
    "special social services providers": ("поставщики специальных социальных услуг",
                                          "арнаулы әлеуметтік қызметтерді берушілер"),
    "Only social service providers and NGOs provide special social services.": (
        "Специальные социальные услуги оказывают только поставщики социальных услуг и НПО.",
        "Арнаулы әлеуметтік қызметтерді тек әлеуметтік қызмет берушілер мен ҮЕҰ көрсетеді."),
    "Give the organisation's region first: rates and approvals depend on it.": (
        "Сначала укажите регион организации: от него зависят тарифы и утверждение.",
        "Алдымен ұйымның өңірін көрсетіңіз: тарифтер мен бекіту соған байланысты."),
    "form of care": ("форма обслуживания", "қызмет көрсету нысаны"),
    "places": ("мест", "орын саны"),
    "capacity": ("мощность", "қуаттылық"),
    "capacities": ("мощности", "қуаттылықтар"),
    "recipient": ("получатель", "алушы"),
    "provider": ("поставщик услуг", "қызмет беруші"),
    "from": ("с", "бастап"),
    "Empty: until further notice.": ("Пусто: бессрочно.", "Бос: мерзімсіз."),
    "decision number": ("номер решения", "шешім нөмірі"),
    "placement": ("направление", "жолдама"),
    "placements": ("направления", "жолдамалар"),
    "This provider does not offer this form of care.": (
        "Этот поставщик не оказывает услуги в этой форме.",
        "Бұл қызмет беруші осы нысанда қызмет көрсетпейді."),
    "The provider works in another region than the recipient's: choose a provider of the "
    "recipient's region.": (
        "Поставщик работает в другом регионе, чем получатель: выберите поставщика региона "
        "получателя.",
        "Қызмет беруші алушыдан басқа өңірде жұмыс істейді: алушының өңіріндегі қызмет "
        "берушіні таңдаңыз."),
    "The recipient already has a placement in this form of care for these dates: end it "
    "first.": (
        "У получателя уже есть направление в этой форме на эти даты: сначала завершите его.",
        "Алушының осы күндерге осы нысанда жолдамасы бар: алдымен оны аяқтаңыз."),
    "The provider has no free place in this form of care on %(day)s (%(places)s places).": (
        "У поставщика нет свободного места в этой форме на %(day)s (мест: %(places)s).",
        "%(day)s күні қызмет берушіде осы нысанда бос орын жоқ (орын саны: %(places)s)."),
    "per person per month, tenge": ("на одного человека в месяц, тенге",
                                    "бір адамға айына, теңге"),
    "per-capita rate": ("подушевой норматив", "жан басына шаққандағы норматив"),
    "per-capita rates": ("подушевые нормативы", "жан басына шаққандағы нормативтер"),
    "month": ("месяц", "ай"),
    "total, tenge": ("итого, тенге", "барлығы, теңге"),
    "monthly bill": ("ежемесячный счёт", "айлық шот"),
    "monthly bills": ("ежемесячные счета", "айлық шоттар"),
    "days served": ("дней обслуживания", "қызмет көрсетілген күндер"),
    "days in the month": ("дней в месяце", "айдағы күндер"),
    "rate per month, tenge": ("норматив в месяц, тенге", "айлық норматив, теңге"),
    "amount, tenge": ("сумма, тенге", "сома, теңге"),
    "bill line": ("строка счёта", "шот жолы"),
    "bill lines": ("строки счёта", "шот жолдары"),
    "staff": ("оплата труда персонала", "қызметкерлердің еңбекақысы"),
    "food": ("питание", "тамақтану"),
    "medicine and hygiene": ("медикаменты и гигиена", "дәрі-дәрмек және гигиена"),
    "utilities and upkeep": ("коммунальные услуги и содержание",
                             "коммуналдық қызметтер және ұстау"),
    "category": ("статья", "бап"),
    "spending": ("расходы", "шығыстар"),
    "Choose a month between 2019 and 2100.": ("Выберите месяц между 2019 и 2100 годами.",
                                              "2019 және 2100 жылдар аралығындағы айды "
                                              "таңдаңыз."),
    "%(taken)s recipients are placed in this form today: keep at least as many places.": (
        "Сегодня в этой форме обслуживается получателей: %(taken)s; мест должно быть не "
        "меньше.",
        "Бүгін осы нысанда қызмет алатындар саны: %(taken)s; орын саны одан кем болмауы "
        "тиіс."),
    "The approved bill for %(month)s counts days after this date: the placement cannot end "
    "earlier.": (
        "Утверждённый счёт за %(month)s учитывает дни после этой даты: направление не может "
        "завершиться раньше.",
        "%(month)s бойынша бекітілген шот осы күннен кейінгі күндерді есептейді: жолдама "
        "ертерек аяқтала алмайды."),
    "A bill is computed for a month that has begun.": (
        "Счёт рассчитывается за начавшийся месяц.", "Шот басталған ай үшін есептеледі."),
    "The provider has no region, so no rate applies.": (
        "У поставщика не указан регион, поэтому норматив не применяется.",
        "Қызмет берушінің өңірі көрсетілмеген, сондықтан норматив қолданылмайды."),
    "The bill for this month is approved and can no longer change.": (
        "Счёт за этот месяц утверждён и больше не меняется.",
        "Осы айдың шоты бекітілген және енді өзгермейді."),
    "No per-capita rate is set for %(forms)s in %(region)s for %(year)s: set it on the rates "
    "page first.": (
        "Подушевой норматив для формы «%(forms)s» в регионе «%(region)s» на %(year)s год не "
        "установлен: сначала задайте его на странице нормативов.",
        "«%(region)s» өңірінде %(year)s жылға «%(forms)s» нысаны үшін жан басына шаққандағы "
        "норматив белгіленбеген: алдымен оны нормативтер бетінде белгілеңіз."),
    "The bill is already approved.": ("Счёт уже утверждён.", "Шот бекітіліп қойған."),
    "Spending is reported for a month that has begun.": (
        "Расходы указываются за начавшийся месяц.",
        "Шығыстар басталған ай үшін көрсетіледі."),
    "Bill of %(provider)s for %(period)s": ("Счёт: %(provider)s, %(period)s",
                                            "Шот: %(provider)s, %(period)s"),
    "Monthly bills": ("Ежемесячные счета", "Айлық шоттар"),
    "Other months": ("Другие месяцы", "Басқа айлар"),
    "Previous month: %(period)s": ("Предыдущий месяц: %(period)s", "Алдыңғы ай: %(period)s"),
    "Next month: %(period)s": ("Следующий месяц: %(period)s", "Келесі ай: %(period)s"),
    "Total, tenge": ("Итого, тенге", "Барлығы, теңге"),
    "Computed": ("Рассчитан", "Есептелді"),
    "Approved": ("Утверждён", "Бекітілді"),
    "Personal data: every view of this bill is recorded.": (
        "Персональные данные: каждый просмотр этого счёта фиксируется.",
        "Дербес деректер: осы шотты әр қарау тіркеледі."),
    "Lines of the bill: rate × days served ÷ days in the month": (
        "Строки счёта: норматив × дни обслуживания ÷ дни месяца",
        "Шот жолдары: норматив × қызмет күндері ÷ айдағы күндер"),
    "Recipient": ("Получатель", "Алушы"),
    "Days served": ("Дней обслуживания", "Қызмет күндері"),
    "Days in the month": ("Дней в месяце", "Айдағы күндер"),
    "Rate per month, tenge": ("Норматив в месяц, тенге", "Айлық норматив, теңге"),
    "Amount, tenge": ("Сумма, тенге", "Сома, теңге"),
    "Total": ("Итого", "Барлығы"),
    "No recipient was served this month.": ("В этом месяце услуги никому не оказывались.",
                                            "Бұл айда ешкімге қызмет көрсетілмеді."),
    "The bill for this month is not computed yet.": (
        "Счёт за этот месяц ещё не рассчитан.", "Осы айдың шоты әлі есептелмеген."),
    "Compute again": ("Пересчитать", "Қайта есептеу"),
    "Compute the bill": ("Рассчитать счёт", "Шотты есептеу"),
    "Approve the bill": ("Утвердить счёт", "Шотты бекіту"),
    "Monthly bills, %(period)s": ("Ежемесячные счета, %(period)s", "Айлық шоттар, %(period)s"),
    "Each provider's bill is computed from its placements and the per-capita rates of its "
    "region; the akimat approves it, and an approved bill no longer changes.": (
        "Счёт каждого поставщика рассчитывается по направлениям и подушевым нормативам его "
        "региона; акимат утверждает счёт, после чего он больше не меняется.",
        "Әр қызмет берушінің шоты жолдамалар мен өңірдің жан басына шаққандағы "
        "нормативтері бойынша есептеледі; әкімдік шотты бекітеді, содан кейін ол өзгермейді."),
    "Bills for %(period)s": ("Счета за %(period)s", "%(period)s шоттары"),
    "not computed": ("не рассчитан", "есептелмеген"),
    "No provider in your scope.": ("В вашей зоне ответственности нет поставщиков.",
                                   "Сіздің құзыретіңізде қызмет берушілер жоқ."),
    "End a placement": ("Завершить направление", "Жолдаманы аяқтау"),
    "Placements": ("Направления", "Жолдамалар"),
    "Cancel": ("Отмена", "Бас тарту"),
    "Place a recipient": ("Направить получателя", "Алушыны жолдау"),
    "A recipient of %(region)s with a provider of the region, in a form of care it offers "
    "and has a free place in.": (
        "Получатель из региона «%(region)s» — к поставщику этого региона, в форме, которую "
        "он оказывает и в которой есть свободное место.",
        "«%(region)s» өңірінің алушысы — осы өңірдің қызмет берушісіне, ол көрсететін және "
        "бос орны бар нысанда."),
    "Place": ("Направить", "Жолдау"),
    "Placements of recipients": ("Направления получателей", "Алушылардың жолдамалары"),
    "Personal data: every view of this list is recorded.": (
        "Персональные данные: каждый просмотр этого списка фиксируется.",
        "Дербес деректер: осы тізімді әр қарау тіркеледі."),
    "All providers": ("Все поставщики", "Барлық қызмет берушілер"),
    "Current": ("Действующие", "Қолданыстағы"),
    "All, including ended": ("Все, включая завершённые", "Барлығы, аяқталғандарын қоса"),
    "Actions": ("Действия", "Әрекеттер"),
    "until further notice": ("бессрочно", "мерзімсіз"),
    "End": ("Завершить", "Аяқтау"),
    "No placements to show.": ("Нет направлений для показа.", "Көрсететін жолдамалар жоқ."),
    "Ownership": ("Форма собственности", "Меншік нысаны"),
    "Licence": ("Лицензия", "Лицензия"),
    "no longer provides services": ("больше не оказывает услуги",
                                    "енді қызмет көрсетпейді"),
    "Forms of care, places and the guaranteed sum in %(year)s": (
        "Формы обслуживания, места и гарантированная сумма в %(year)s году",
        "%(year)s жылғы қызмет көрсету нысандары, орындар және кепілдендірілген сома"),
    "Places": ("Мест", "Орын саны"),
    "Recipients today": ("Получателей сегодня", "Бүгінгі алушылар"),
    "Free places": ("Свободных мест", "Бос орындар"),
    "not set": ("не установлен", "белгіленбеген"),
    "No form of care is registered yet.": ("Формы обслуживания ещё не зарегистрированы.",
                                           "Қызмет көрсету нысандары әлі тіркелмеген."),
    "The bill for %(period)s": ("Счёт за %(period)s", "%(period)s шоты"),
    "Report spending": ("Указать расходы", "Шығыстарды көрсету"),
    "Recent bills": ("Последние счета", "Соңғы шоттар"),
    "Organisations that provide special social services to persons with disabilities: at "
    "home, in day care, inpatient and temporary stay. The state pays them a guaranteed sum "
    "per recipient per month.": (
        "Организации, оказывающие специальные социальные услуги лицам с инвалидностью: на "
        "дому, в полустационаре, в стационаре и в условиях временного пребывания. Государство "
        "платит им гарантированную сумму за каждого получателя в месяц.",
        "Мүгедектігі бар адамдарға арнаулы әлеуметтік қызметтер көрсететін ұйымдар: үйде, "
        "жартылай стационарда, стационарда және уақытша болу жағдайында. Мемлекет оларға әр "
        "алушы үшін айына кепілдендірілген сома төлейді."),
    "Per-capita rates (guaranteed sums)": ("Подушевые нормативы (гарантированные суммы)",
                                           "Жан басына шаққандағы нормативтер "
                                           "(кепілдендірілген сомалар)"),
    "Spending against per-capita income": ("Расходы и подушевое финансирование",
                                           "Шығыстар және жан басына шаққандағы қаржыландыру"),
    "All forms": ("Все формы", "Барлық нысандар"),
    "Forms of care: recipients / places": ("Формы обслуживания: получатели / места",
                                           "Қызмет көрсету нысандары: алушылар / орындар"),
    "%(taken)s of %(places)s": ("%(taken)s из %(places)s", "%(places)s ішінен %(taken)s"),
    "No provider matches these filters.": ("Нет поставщиков, подходящих под фильтры.",
                                           "Сүзгілерге сай қызмет берушілер жоқ."),
    "Per-capita rates": ("Подушевые нормативы", "Жан басына шаққандағы нормативтер"),
    "Per-capita rates, %(year)s": ("Подушевые нормативы, %(year)s",
                                   "Жан басына шаққандағы нормативтер, %(year)s"),
    "The guaranteed sum: what the state pays a provider per recipient per month, by form of "
    "care and region. A month served in part is paid by the days served.": (
        "Гарантированная сумма: сколько государство платит поставщику за получателя в месяц, "
        "по формам обслуживания и регионам. Неполный месяц оплачивается по дням обслуживания.",
        "Кепілдендірілген сома: мемлекеттің қызмет берушіге бір алушы үшін айына төлейтін "
        "сомасы, нысандар мен өңірлер бойынша. Толық емес ай қызмет күндері бойынша "
        "төленеді."),
    "Per person per month in %(year)s, tenge": (
        "На одного человека в месяц в %(year)s году, тенге",
        "%(year)s жылы бір адамға айына, теңге"),
    "Legal acts": ("Правовые акты", "Құқықтық актілер"),
    "Set a rate": ("Установить норматив", "Норматив белгілеу"),
    "A rate set again for the same form, region and year replaces the figure; bills already "
    "approved keep the rate they were computed with.": (
        "Повторно установленный норматив для той же формы, региона и года заменяет прежний; "
        "утверждённые счета сохраняют норматив, по которому рассчитаны.",
        "Сол нысан, өңір және жыл үшін қайта белгіленген норматив бұрынғысын ауыстырады; "
        "бекітілген шоттар есептелген нормативін сақтайды."),
    "Save the rate": ("Сохранить норматив", "Нормативті сақтау"),
    "Spending": ("Расходы", "Шығыстар"),
    "Spending against per-capita income, %(year)s": (
        "Расходы и подушевое финансирование, %(year)s",
        "Шығыстар және жан басына шаққандағы қаржыландыру, %(year)s"),
    "Income is the sum of a provider's approved monthly bills; spending is what it reports. "
    "Providers that spend less than %(threshold)s%% of what they receive are marked.": (
        "Доход — сумма утверждённых ежемесячных счетов поставщика; расходы — то, что он "
        "указал. Поставщики, расходующие меньше %(threshold)s%% полученного, отмечены.",
        "Табыс — қызмет берушінің бекітілген айлық шоттарының сомасы; шығыстар — ол "
        "көрсеткен сома. Алғанының %(threshold)s%%-нан азын жұмсайтын қызмет берушілер "
        "белгіленген."),
    "Report the spending of %(provider)s": ("Указать расходы: %(provider)s",
                                            "Шығыстарды көрсету: %(provider)s"),
    "Income, tenge": ("Доход, тенге", "Табыс, теңге"),
    "Spending, tenge": ("Расходы, тенге", "Шығыстар, теңге"),
    "Difference, tenge": ("Разница, тенге", "Айырма, теңге"),
    "Spent, %% of income": ("Израсходовано, %% дохода", "Жұмсалғаны, табыстың %%"),
    "By provider, lowest share spent first": (
        "По поставщикам, сначала с наименьшей долей расходов",
        "Қызмет берушілер бойынша, алдымен шығыс үлесі ең азы"),
    "Note": ("Примечание", "Ескертпе"),
    "spends much less than it receives": ("расходует намного меньше, чем получает",
                                          "алғанынан әлдеқайда аз жұмсайды"),
    "no approved bill": ("нет утверждённых счетов", "бекітілген шот жоқ"),
    "Nothing is billed or reported for this year in your scope.": (
        "За этот год в вашей зоне ответственности нет ни счетов, ни расходов.",
        "Осы жылы сіздің құзыретіңізде шоттар да, шығыстар да жоқ."),
    "Spending of %(provider)s": ("Расходы: %(provider)s", "Шығыстар: %(provider)s"),
    "What the organisation spent on special social services in a month, by category. A "
    "category reported again for the same month replaces the earlier figure.": (
        "Сколько организация израсходовала на специальные социальные услуги за месяц, по "
        "статьям. Повторно указанная статья за тот же месяц заменяет прежнюю сумму.",
        "Ұйымның бір айда арнаулы әлеуметтік қызметтерге жұмсаған сомасы, баптар бойынша. "
        "Сол ай үшін қайта көрсетілген бап бұрынғы соманы ауыстырады."),
    "Save the spending": ("Сохранить расходы", "Шығыстарды сақтау"),
    "Spending reported, tenge": ("Указанные расходы, тенге", "Көрсетілген шығыстар, теңге"),
    "The recipient is placed.": ("Получатель направлен.", "Алушы жолданды."),
    "The placement's end is saved.": ("Дата завершения направления сохранена.",
                                      "Жолдаманың аяқталу күні сақталды."),
    "The rate is saved.": ("Норматив сохранён.", "Норматив сақталды."),
    "Compute the bill before approving it.": ("Рассчитайте счёт перед утверждением.",
                                              "Бекіту алдында шотты есептеңіз."),
    "The bill is approved; it can no longer change.": (
        "Счёт утверждён и больше не меняется.", "Шот бекітілді, енді өзгермейді."),
    "The bill is computed.": ("Счёт рассчитан.", "Шот есептелді."),
    "The spending is saved.": ("Расходы сохранены.", "Шығыстар сақталды."),
}
# msgid, msgid_plural: (Russian forms ×4, Kazakh forms ×2)
PLURALS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("%(counter)s placement", "%(counter)s placements"): (
        ("%(counter)s направление", "%(counter)s направления", "%(counter)s направлений",
         "%(counter)s направления"),
        ("%(counter)s жолдама", "%(counter)s жолдама")),
    ("%(counter)s provider", "%(counter)s providers"): (
        ("%(counter)s поставщик", "%(counter)s поставщика", "%(counter)s поставщиков",
         "%(counter)s поставщика"),
        ("%(counter)s қызмет беруші", "%(counter)s қызмет беруші")),
}

# As in the headers of tendik/locale/<lang>/LC_MESSAGES/django.po.
PLURAL_FORMS = {
    "ru": "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || "
          "n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);",
    "kk": "nplurals=2; plural=(n!=1);",
    "en": "nplurals=2; plural=(n != 1);",
}


def build() -> None:
    for language in ("ru", "kk", "en"):
        po = polib.POFile()
        po.metadata = {"Project-Id-Version": "Teńdik care", "Language": language,
                       "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                       "Content-Transfer-Encoding": "8bit",
                       "Plural-Forms": PLURAL_FORMS[language]}
        for msgid, (ru, kk) in STRINGS.items():
            msgstr = {"ru": ru, "kk": kk, "en": msgid}[language]
            flags = ["python-format"] if "%(" in msgid or "%%" in msgid else []
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
        for (single, plural), (ru_forms, kk_forms) in PLURALS.items():
            forms = {"ru": ru_forms, "kk": kk_forms, "en": (single, plural)}[language]
            po.append(polib.POEntry(msgid=single, msgid_plural=plural,
                                    msgstr_plural=dict(enumerate(forms)),
                                    flags=["python-format"]))
        po.save(str(HERE / f"{language}.po"))


if __name__ == "__main__":
    build()
