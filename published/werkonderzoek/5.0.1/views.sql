-- Werkonderzoek: gepubliceerde uitkomsten / Werkonderzoek: published findings, version 5.0.1.
-- Run from this release's folder: duckdb -init views.sql   or, in Python,
-- duckdb.connect().execute(open('views.sql').read()). Paths are relative to this folder.

CREATE OR REPLACE VIEW "themes" AS SELECT * FROM read_parquet('data/themes.parquet');
COMMENT ON VIEW "themes" IS 'Thema''s / Themes. De thema''s waaronder de indicatoren vallen: de drie knelpunten van het Werkonderzoek 2024 plus werkbeleving en de andere onderwerpen uit de bronnen. / The themes that group the indicators: the three bottlenecks of the 2024 Werkonderzoek plus work experience and the other topics of the sources.';
COMMENT ON COLUMN "themes"."theme_id" IS 'Thema-code / Theme code: Stabiele code van het thema. / Stable code of the theme.';
COMMENT ON COLUMN "themes"."label_nl" IS 'Naam (Nederlands) / Name (Dutch): Naam van het thema in het Nederlands. / Name of the theme in Dutch.';
COMMENT ON COLUMN "themes"."label_en" IS 'Naam (Engels) / Name (English): Naam van het thema in het Engels. / Name of the theme in English.';

CREATE OR REPLACE VIEW "scales" AS SELECT * FROM read_parquet('data/scales.parquet');
COMMENT ON VIEW "scales" IS 'Antwoordschalen / Answer scales. De antwoordcodes van elke antwoordschaal van de vragenlijst. / The answer codes of every answer scale of the questionnaire.';
COMMENT ON COLUMN "scales"."scale_id" IS 'Schaalcode / Scale code: Code van de antwoordschaal. / Code of the answer scale.';
COMMENT ON COLUMN "scales"."code" IS 'Antwoordcode / Answer code: De gehele code waarmee het antwoord in de microdata staat. / The integer code the answer has in the microdata.';
COMMENT ON COLUMN "scales"."label_nl" IS 'Omschrijving (Nederlands) / Label (Dutch): Het antwoord, in het Nederlands. / The answer, in Dutch.';
COMMENT ON COLUMN "scales"."label_en" IS 'Omschrijving (Engels) / Label (English): Het antwoord, in het Engels. / The answer, in English.';

CREATE OR REPLACE VIEW "items" AS SELECT * FROM read_parquet('data/items.parquet');
COMMENT ON VIEW "items" IS 'Vragen / Questionnaire items. De vragen van de vragenlijst waaruit indicatoren worden geschat. / The questionnaire items from which indicators are estimated.';
COMMENT ON COLUMN "items"."item_id" IS 'Vraagcode / Item code: Code van de vraag; ook de kolomnaam in de microdata. / Code of the item; also its column name in the microdata.';
COMMENT ON COLUMN "items"."label_nl" IS 'Omschrijving (Nederlands) / Label (Dutch): De vraag, in het Nederlands. / The question, in Dutch.';
COMMENT ON COLUMN "items"."label_en" IS 'Omschrijving (Engels) / Label (English): De vraag, in het Engels. / The question, in English.';
COMMENT ON COLUMN "items"."scale_id" IS 'Schaalcode / Scale code: De antwoordschaal van de vraag. / The answer scale of the item.';
COMMENT ON COLUMN "items"."sensitive" IS 'Gevoelig / Sensitive: true: een gevoelige vraag (integriteit, ongewenst gedrag), met strengere onthullingsregels. / true: a sensitive item (integrity, unwanted behaviour), with stricter disclosure rules.';

CREATE OR REPLACE VIEW "indicators" AS SELECT * FROM read_parquet('data/indicators.parquet');
COMMENT ON VIEW "indicators" IS 'Indicatoren / Indicators. Elke uitspraak van het Werkonderzoek waarvoor een aandeel van de medewerkers wordt gepubliceerd. / Every statement of the Werkonderzoek for which a share of employees is published.';
COMMENT ON COLUMN "indicators"."indicator_id" IS 'Indicator-code / Indicator code: Stabiele code van de indicator; een gepubliceerde code wordt nooit hernoemd. / Stable code of the indicator; a published code is never renamed.';
COMMENT ON COLUMN "indicators"."theme_id" IS 'Thema-code / Theme code: Het thema waaronder de indicator valt. / The theme the indicator belongs to.';
COMMENT ON COLUMN "indicators"."label_nl" IS 'Omschrijving (Nederlands) / Label (Dutch): Wat de indicator meet, in het Nederlands. / What the indicator measures, in Dutch.';
COMMENT ON COLUMN "indicators"."label_en" IS 'Omschrijving (Engels) / Label (English): Wat de indicator meet, in het Engels. / What the indicator measures, in English.';
COMMENT ON COLUMN "indicators"."unit" IS 'Eenheid / Unit: Eenheid van de waarde: percent is het aandeel van de populatie, 0 tot 100. / Unit of the value: percent is the share of the population, 0 to 100.';
COMMENT ON COLUMN "indicators"."direction" IS 'Richting / Direction: higher_is_better: een hogere waarde is gunstiger; higher_is_worse: de uitspraak is negatief geformuleerd, een hogere waarde is ongunstiger. / higher_is_better: a higher value is better; higher_is_worse: the statement is worded negatively, a higher value is worse.';
COMMENT ON COLUMN "indicators"."item_id" IS 'Vraagcode / Item code: De vraag waaruit de indicator wordt geschat; leeg voor een indicator die alleen uit publicaties wordt overgenomen. / The questionnaire item the indicator is estimated from; empty for an indicator only transcribed from publications.';
COMMENT ON COLUMN "indicators"."count_codes" IS 'Getelde antwoordcodes / Counted answer codes: De antwoordcodes (gescheiden door spaties) die meetellen als ''ja'', zoals ''4 5'' voor tevreden. / The answer codes (separated by spaces) counted as ''yes'', such as ''4 5'' for satisfied.';
COMMENT ON COLUMN "indicators"."exclude_codes" IS 'Uitgesloten antwoordcodes / Excluded answer codes: Antwoordcodes (gescheiden door spaties) die niet meetellen in de noemer, zoals ''9'' voor weet niet; mag leeg zijn. / Answer codes (separated by spaces) left out of the denominator, such as ''9'' for don''t know; may be empty.';

CREATE OR REPLACE VIEW "breakdowns" AS SELECT * FROM read_parquet('data/breakdowns.parquet');
COMMENT ON VIEW "breakdowns" IS 'Uitsplitsingen / Breakdowns. De waarden van elke uitsplitsing (zoals leeftijd); onbekend en totaal horen bij elke uitsplitsing en staan hier niet. / The values of every breakdown (such as age); unknown (onbekend) and total (totaal) belong to every breakdown and are not listed here.';
COMMENT ON COLUMN "breakdowns"."breakdown_id" IS 'Uitsplitsingscode / Breakdown code: Code van de uitsplitsing; ook de kolomnaam in de microdata. / Code of the breakdown; also its column name in the microdata.';
COMMENT ON COLUMN "breakdowns"."value" IS 'Waarde / Value: Een waarde van de uitsplitsing zoals de microdata hem bevat. / A value of the breakdown as the microdata holds it.';
COMMENT ON COLUMN "breakdowns"."label_nl" IS 'Omschrijving (Nederlands) / Label (Dutch): De waarde, in het Nederlands. / The value, in Dutch.';
COMMENT ON COLUMN "breakdowns"."label_en" IS 'Omschrijving (Engels) / Label (English): De waarde, in het Engels. / The value, in English.';

CREATE OR REPLACE VIEW "populations" AS SELECT * FROM read_parquet('data/populations.parquet');
COMMENT ON VIEW "populations" IS 'Populaties / Populations. De groepen medewerkers waarover een uitkomst gaat. / The groups of employees a finding describes.';
COMMENT ON COLUMN "populations"."population_id" IS 'Populatie-code / Population code: Stabiele code van de populatie; een gepubliceerde code wordt nooit hernoemd. / Stable code of the population; a published code is never renamed.';
COMMENT ON COLUMN "populations"."label_nl" IS 'Naam (Nederlands) / Name (Dutch): Naam van de populatie in het Nederlands. / Name of the population in Dutch.';
COMMENT ON COLUMN "populations"."label_en" IS 'Naam (Engels) / Name (English): Naam van de populatie in het Engels. / Name of the population in English.';
COMMENT ON COLUMN "populations"."parent_id" IS 'Bovenliggende populatie / Parent population: De populatie waarvan deze een deel is; leeg voor een hoogste niveau. / The population this one is part of; empty at the top level.';
COMMENT ON COLUMN "populations"."breakdown_id" IS 'Uitsplitsingscode / Breakdown code: Alleen bij een subgroep van een populatie (geen deel van de boom): de uitsplitsing die de subgroep afbakent; de ouder is de populatie waarvan het een subgroep is. / Only for a subgroup of a population (not a part of the tree): the breakdown that defines the subgroup; the parent is the population it is a subgroup of.';
COMMENT ON COLUMN "populations"."breakdown_value" IS 'Uitsplitsingswaarde / Breakdown value: De waarde van die uitsplitsing die de subgroep afbakent. / The value of that breakdown that defines the subgroup.';

CREATE OR REPLACE VIEW "statuses" AS SELECT * FROM read_parquet('data/statuses.parquet');
COMMENT ON VIEW "statuses" IS 'Statuscodes / Status codes. Status van een waarneming, een deel van de SDMX-codelijst OBS_STATUS. / Status of an observation, a subset of the SDMX code list OBS_STATUS.';
COMMENT ON COLUMN "statuses"."status" IS 'Statuscode / Status code: SDMX OBS_STATUS-code. / SDMX OBS_STATUS code.';
COMMENT ON COLUMN "statuses"."label_nl" IS 'Betekenis (Nederlands) / Meaning (Dutch): Betekenis van de code in het Nederlands. / Meaning of the code in Dutch.';
COMMENT ON COLUMN "statuses"."label_en" IS 'Betekenis (Engels) / Meaning (English): Betekenis van de code in het Engels. / Meaning of the code in English.';
COMMENT ON COLUMN "statuses"."description_nl" IS 'Toelichting (Nederlands) / Explanation (Dutch): Wanneer de code wordt gebruikt, in het Nederlands. / When the code is used, in Dutch.';
COMMENT ON COLUMN "statuses"."description_en" IS 'Toelichting (Engels) / Explanation (English): Wanneer de code wordt gebruikt, in het Engels. / When the code is used, in English.';

CREATE OR REPLACE VIEW "conf_statuses" AS SELECT * FROM read_parquet('data/conf_statuses.parquet');
COMMENT ON VIEW "conf_statuses" IS 'Vertrouwelijkheidscodes / Confidentiality status codes. Of een schatting vrij gepubliceerd of onderdrukt is, een deel van de SDMX-codelijst CONF_STATUS: één code voor elke onderdrukte cel, welke regel haar ook onderdrukte. / Whether an estimate is published freely or suppressed, a subset of the SDMX code list CONF_STATUS: one code for every suppressed cell, whichever rule suppressed it.';
COMMENT ON COLUMN "conf_statuses"."conf_status" IS 'Vertrouwelijkheidscode / Confidentiality code: SDMX CONF_STATUS-code: F vrij; C vertrouwelijk, voor elke onderdrukte cel. De reden (welke regel, primair of secundair) wordt niet gepubliceerd: die vertelde een aanvaller dat een cel klein was of dat een regel voor gevoelige vragen gold. / SDMX CONF_STATUS code: F free; C confidential, for every suppressed cell. The reason (which rule, primary or secondary) is not published: it told an attacker that a cell was small or that a rule for sensitive questions fired.';
COMMENT ON COLUMN "conf_statuses"."label_nl" IS 'Betekenis (Nederlands) / Meaning (Dutch): Betekenis van de code in het Nederlands. / Meaning of the code in Dutch.';
COMMENT ON COLUMN "conf_statuses"."label_en" IS 'Betekenis (Engels) / Meaning (English): Betekenis van de code in het Engels. / Meaning of the code in English.';
COMMENT ON COLUMN "conf_statuses"."description_nl" IS 'Toelichting (Nederlands) / Explanation (Dutch): Wanneer de code wordt gebruikt, in het Nederlands. / When the code is used, in Dutch.';
COMMENT ON COLUMN "conf_statuses"."description_en" IS 'Toelichting (Engels) / Explanation (English): Wanneer de code wordt gebruikt, in het Engels. / When the code is used, in English.';

CREATE OR REPLACE VIEW "sources" AS SELECT * FROM read_parquet('data/sources.parquet');
COMMENT ON VIEW "sources" IS 'Bronnen / Sources. De gepubliceerde documenten waaruit de cijfers komen. / The published documents the figures come from.';
COMMENT ON COLUMN "sources"."source_id" IS 'Bron-code / Source code: Stabiele code van de bron. / Stable code of the source.';
COMMENT ON COLUMN "sources"."title" IS 'Titel / Title: Titel van het document zoals gepubliceerd. / Title of the document as published.';
COMMENT ON COLUMN "sources"."publisher" IS 'Uitgever / Publisher: Wie het document publiceerde. / Who published the document.';
COMMENT ON COLUMN "sources"."url" IS 'Adres / URL: Webadres van het document. / Web address of the document.';
COMMENT ON COLUMN "sources"."published_date" IS 'Publicatiedatum / Publication date: Datum van publicatie, leeg wanneer niet bekend. / Date of publication, empty when not known.';

CREATE OR REPLACE VIEW "editions" AS SELECT * FROM read_parquet('data/editions.parquet');
COMMENT ON VIEW "editions" IS 'Edities / Editions. Eén rij per editie van het Werkonderzoek, met wat over het veldwerk en de respons bekend is. / One row per edition of the Werkonderzoek, with what is known about its fieldwork and response.';
COMMENT ON COLUMN "editions"."edition" IS 'Editie / Edition: Jaar van de editie. / Year of the edition.';
COMMENT ON COLUMN "editions"."title_nl" IS 'Titel (Nederlands) / Title (Dutch): Titel van de editie in het Nederlands. / Title of the edition in Dutch.';
COMMENT ON COLUMN "editions"."title_en" IS 'Titel (Engels) / Title (English): Titel van de editie in het Engels. / Title of the edition in English.';
COMMENT ON COLUMN "editions"."carried_out_by" IS 'Uitgevoerd door / Carried out by: Wie het onderzoek uitvoerde en voor wie. / Who carried out the survey and for whom.';
COMMENT ON COLUMN "editions"."fieldwork_nl" IS 'Veldwerk (Nederlands) / Fieldwork (Dutch): Wanneer en door wie het veldwerk werd gedaan; leeg wanneer niet bekend. / When and by whom the fieldwork was done; empty when not known.';
COMMENT ON COLUMN "editions"."fieldwork_en" IS 'Veldwerk (Engels) / Fieldwork (English): Het veldwerk in het Engels; leeg wanneer niet bekend. / The fieldwork in English; empty when not known.';
COMMENT ON COLUMN "editions"."publication_date" IS 'Publicatiedatum / Publication date: Datum waarop de hoofdrapportage verscheen; leeg wanneer niet bekend. / Date the main report appeared; empty when not known.';
COMMENT ON COLUMN "editions"."respondents" IS 'Respondenten / Respondents: Aantal respondenten landelijk, zoals gepubliceerd; leeg wanneer niet bekend. / Number of respondents nationally, as published; empty when not known.';
COMMENT ON COLUMN "editions"."response_rate" IS 'Respons (%) / Response rate (%): Responspercentage landelijk, 0 tot 100; leeg wanneer niet bekend. / National response rate, 0 to 100; empty when not known. [percent]';
COMMENT ON COLUMN "editions"."invited_label" IS 'Uitgenodigd (zoals gepubliceerd) / Invited (as published): Hoeveel medewerkers werden benaderd, in de woorden van de bron; leeg wanneer niet bekend. / How many employees were asked, in the words of the source; empty when not known.';
COMMENT ON COLUMN "editions"."source_ids" IS 'Bronnen / Sources: Codes van de bronnen over deze editie, gescheiden door een spatie (zie de tabel sources). / Codes of the sources about this edition, separated by a space (see the table sources).';
COMMENT ON COLUMN "editions"."notes_nl" IS 'Opmerkingen (Nederlands) / Notes (Dutch): Wat een gebruiker over deze editie moet weten. / What a user should know about this edition.';
COMMENT ON COLUMN "editions"."notes_en" IS 'Opmerkingen (Engels) / Notes (English): De opmerkingen in het Engels. / The notes in English.';

CREATE OR REPLACE VIEW "findings" AS SELECT * FROM read_parquet('data/findings.parquet');
COMMENT ON VIEW "findings" IS 'Uitkomsten / Findings. Eén rij per editie, populatie en indicator: het gepubliceerde aandeel medewerkers, met status, bron en verandering ten opzichte van de vorige editie met een waarde. / One row per edition, population and indicator: the published share of employees, with status, source and change since the previous edition with a value.';
COMMENT ON COLUMN "findings"."edition" IS 'Editie / Edition: Jaar van de editie. / Year of the edition.';
COMMENT ON COLUMN "findings"."population_id" IS 'Populatie-code / Population code: De groep medewerkers (zie populations). / The group of employees (see populations).';
COMMENT ON COLUMN "findings"."indicator_id" IS 'Indicator-code / Indicator code: De gemeten uitspraak (zie indicators). / The measured statement (see indicators).';
COMMENT ON COLUMN "findings"."theme_id" IS 'Thema-code / Theme code: Het thema van de indicator (zie themes). / The indicator''s theme (see themes).';
COMMENT ON COLUMN "findings"."indicator_label_nl" IS 'Indicator (Nederlands) / Indicator (Dutch): Omschrijving van de indicator in het Nederlands. / Label of the indicator in Dutch.';
COMMENT ON COLUMN "findings"."indicator_label_en" IS 'Indicator (Engels) / Indicator (English): Omschrijving van de indicator in het Engels. / Label of the indicator in English.';
COMMENT ON COLUMN "findings"."population_label_nl" IS 'Populatie (Nederlands) / Population (Dutch): Naam van de populatie in het Nederlands. / Name of the population in Dutch.';
COMMENT ON COLUMN "findings"."population_label_en" IS 'Populatie (Engels) / Population (English): Naam van de populatie in het Engels. / Name of the population in English.';
COMMENT ON COLUMN "findings"."value" IS 'Waarde / Value: Aandeel van de populatie dat de uitspraak doet, in procenten (0 tot 100); leeg wanneer niet bekend (status M). / Share of the population making the statement, in percent (0 to 100); empty when not known (status M). [percent]';
COMMENT ON COLUMN "findings"."unit" IS 'Eenheid / Unit: Eenheid van de waarde. / Unit of the value.';
COMMENT ON COLUMN "findings"."status" IS 'Status / Status: SDMX OBS_STATUS: A normaal, E geschat (bijvoorbeeld ''1 op de 7'' omgerekend), M ontbrekend. / SDMX OBS_STATUS: A normal, E estimated (for example ''1 in 7'' converted), M missing.';
COMMENT ON COLUMN "findings"."value_label" IS 'Waarde zoals gepubliceerd / Value as published: De waarde in de woorden van de bron, zoals ''1 op de 7''; leeg wanneer de bron geen getal geeft. / The value in the words of the source, such as ''1 op de 7''; empty when the source gives no number.';
COMMENT ON COLUMN "findings"."change_pp" IS 'Verandering (procentpunten) / Change (percentage points): Waarde min de waarde van de meest recente eerdere editie met een waarde voor dezelfde indicator en populatie; leeg wanneer er geen is. / Value minus the value of the most recent earlier edition with a value for the same indicator and population; empty when there is none. [percentage points]';
COMMENT ON COLUMN "findings"."change_from_edition" IS 'Verandering sinds editie / Change since edition: De editie waartegen change_pp is berekend. / The edition change_pp is computed against.';
COMMENT ON COLUMN "findings"."source_id" IS 'Bron-code / Source code: De bron van het cijfer (zie sources). / The source of the figure (see sources).';
COMMENT ON COLUMN "findings"."source_url" IS 'Bron-adres / Source URL: Webadres van de bron. / Web address of the source.';
COMMENT ON COLUMN "findings"."confidence" IS 'Betrouwbaarheid toewijzing / Attribution confidence: C: het getal staat in de bron voor precies deze editie en populatie; C*: editie of populatie volgt uit de context, of het komt uit een sectorsnede (A&O fonds Gemeenten); leeg zonder waarde. / C: the number stands in the source for exactly this edition and population; C*: edition or population follows from the context, or it comes from a sector cut (A&O fonds Gemeenten); empty without a value.';
COMMENT ON COLUMN "findings"."statement_nl" IS 'Uitspraak zoals in de bron / Statement as in the source: De uitspraak in de woorden van de bron (Nederlands). / The statement in the words of the source (Dutch).';
COMMENT ON COLUMN "findings"."note" IS 'Opmerking / Note: Toelichting bij dit cijfer. / Note on this figure.';

CREATE OR REPLACE VIEW "conclusions" AS SELECT * FROM read_parquet('data/conclusions.parquet');
COMMENT ON VIEW "conclusions" IS 'Knelpunten en actiepunten / Bottlenecks and action points. De kwalitatieve conclusies van een editie: de knelpunten die het onderzoek noemt en de actiepunten die het aanbeveelt, in eigen woorden samengevat. / The qualitative conclusions of an edition: the bottlenecks the survey names and the action points it recommends, summarised in our own words.';
COMMENT ON COLUMN "conclusions"."edition" IS 'Editie / Edition: Jaar van de editie. / Year of the edition.';
COMMENT ON COLUMN "conclusions"."kind" IS 'Soort / Kind: knelpunt (bottleneck) of actiepunt (action point). / knelpunt (bottleneck) or actiepunt (action point).';
COMMENT ON COLUMN "conclusions"."position" IS 'Volgorde / Position: Plaats in de volgorde van de bron, vanaf 1. / Place in the order of the source, from 1.';
COMMENT ON COLUMN "conclusions"."theme_id" IS 'Thema-code / Theme code: Het thema waar de conclusie bij hoort, volgens de indeling van de bron; leeg wanneer geen. / The theme the conclusion belongs to, following the source''s layout; empty when none.';
COMMENT ON COLUMN "conclusions"."text_nl" IS 'Tekst (Nederlands) / Text (Dutch): De conclusie in het Nederlands. / The conclusion in Dutch.';
COMMENT ON COLUMN "conclusions"."text_en" IS 'Tekst (Engels) / Text (English): De conclusie in het Engels. / The conclusion in English.';

CREATE OR REPLACE VIEW "estimates" AS SELECT * FROM read_parquet('data/estimates.parquet');
COMMENT ON VIEW "estimates" IS 'Schattingen / Estimates. Gewogen aandelen met 95%-betrouwbaarheidsintervallen, berekend uit de antwoorden van respondenten, per editie, populatie, uitsplitsingswaarde en indicator. Een cel die respondenten kan onthullen is onderdrukt (status Q; docs/disclosure.md). / Weighted shares with 95% confidence intervals, computed from the respondents'' answers, per edition, population, breakdown value and indicator. A cell that could disclose respondents is suppressed (status Q; docs/disclosure.md).';
COMMENT ON COLUMN "estimates"."edition" IS 'Editie / Edition: Jaar van de editie. / Year of the edition.';
COMMENT ON COLUMN "estimates"."population_id" IS 'Populatie-code / Population code: De groep medewerkers (zie populations). / The group of employees (see populations).';
COMMENT ON COLUMN "estimates"."breakdown_id" IS 'Uitsplitsingscode / Breakdown code: De uitsplitsing (zoals leeftijd), of totaal voor de hele populatie. / The breakdown (such as age), or totaal for the whole population.';
COMMENT ON COLUMN "estimates"."breakdown_value" IS 'Uitsplitsingswaarde / Breakdown value: De waarde van de uitsplitsing; onbekend wanneer de respondent het niet opgaf; totaal voor de hele populatie. / The value of the breakdown; onbekend (unknown) when the respondent did not say; totaal for the whole population.';
COMMENT ON COLUMN "estimates"."indicator_id" IS 'Indicator-code / Indicator code: De gemeten uitspraak (zie indicators). / The measured statement (see indicators).';
COMMENT ON COLUMN "estimates"."theme_id" IS 'Thema-code / Theme code: Het thema van de indicator (zie themes). / The indicator''s theme (see themes).';
COMMENT ON COLUMN "estimates"."indicator_label_nl" IS 'Indicator (Nederlands) / Indicator (Dutch): Omschrijving van de indicator in het Nederlands. / Label of the indicator in Dutch.';
COMMENT ON COLUMN "estimates"."indicator_label_en" IS 'Indicator (Engels) / Indicator (English): Omschrijving van de indicator in het Engels. / Label of the indicator in English.';
COMMENT ON COLUMN "estimates"."population_label_nl" IS 'Populatie (Nederlands) / Population (Dutch): Naam van de populatie in het Nederlands. / Name of the population in Dutch.';
COMMENT ON COLUMN "estimates"."population_label_en" IS 'Populatie (Engels) / Population (English): Naam van de populatie in het Engels. / Name of the population in English.';
COMMENT ON COLUMN "estimates"."breakdown_label_nl" IS 'Uitsplitsingswaarde (Nederlands) / Breakdown value (Dutch): De waarde van de uitsplitsing in woorden, in het Nederlands. / The breakdown value in words, in Dutch.';
COMMENT ON COLUMN "estimates"."breakdown_label_en" IS 'Uitsplitsingswaarde (Engels) / Breakdown value (English): De waarde van de uitsplitsing in woorden, in het Engels. / The breakdown value in words, in English.';
COMMENT ON COLUMN "estimates"."value" IS 'Waarde / Value: Gewogen aandeel van de respondenten die de vraag beantwoordden, in procent, afgerond op het aantal decimalen in datapackage.json (disclosure.decimals), als presentatie. / Weighted share of the respondents who answered the item, in percent, rounded to the decimals stated in datapackage.json (disclosure.decimals), as presentation. [percent]';
COMMENT ON COLUMN "estimates"."unit" IS 'Eenheid / Unit: Eenheid van de waarde. / Unit of the value.';
COMMENT ON COLUMN "estimates"."respondents" IS 'Respondenten / Respondents: Aantal respondenten (ongewogen) dat de vraag beantwoordde; ''weet niet'' en geen antwoord tellen niet mee; leeg in een onderdrukte cel. / Number of respondents (unweighted) who answered the item; don''t know and no answer do not count; empty in a suppressed cell.';
COMMENT ON COLUMN "estimates"."ci_low" IS 'Ondergrens 95%-interval / 95% interval, lower bound: Ondergrens van het 95%-betrouwbaarheidsinterval, in procent (logit-interval; Korn-Graubard bij 0 of 100), afgerond zoals de waarde. / Lower bound of the 95% confidence interval, in percent (logit interval; Korn-Graubard at 0 or 100), rounded as the value is.';
COMMENT ON COLUMN "estimates"."ci_high" IS 'Bovengrens 95%-interval / 95% interval, upper bound: Bovengrens van het 95%-betrouwbaarheidsinterval, in procent, afgerond zoals de waarde. / Upper bound of the 95% confidence interval, in percent, rounded as the value is.';
COMMENT ON COLUMN "estimates"."se" IS 'Standaardfout / Standard error: Standaardfout van de waarde, in procentpunten, naar het steekproefontwerp (strata, clusters en eindigepopulatiecorrectie), afgerond zoals de waarde; leeg waar de waarde leeg is. / Standard error of the value, in percentage points, from the sampling design (strata, clusters and finite population correction), rounded as the value is; empty where the value is. [percentage points]';
COMMENT ON COLUMN "estimates"."df" IS 'Vrijheidsgraden / Degrees of freedom: Vrijheidsgraden van de cel, waarmee het interval is berekend: clusters met respondenten min strata met respondenten (zonder clusters telt elke respondent als cluster); leeg waar de waarde leeg is. / Degrees of freedom of the cell, with which its interval is computed: clusters with respondents minus strata with respondents (without clusters each respondent counts as a cluster); empty where the value is.';
COMMENT ON COLUMN "estimates"."status" IS 'Statuscode / Status code: A: normale waarde; U: onbetrouwbaar, effectieve steekproefomvang onder 30; Q: onderdrukt om respondenten te beschermen (waarde, standaardfout, vrijheidsgraden, interval en respondenten leeg). / A: normal value; U: low reliability, effective sample size below 30; Q: suppressed to protect respondents (value, standard error, degrees of freedom, interval and respondents empty).';
COMMENT ON COLUMN "estimates"."conf_status" IS 'Vertrouwelijkheid / Confidentiality status: SDMX CONF_STATUS: F vrij; C vertrouwelijk, onderdrukt om respondenten te beschermen, één code voor elke onderdrukte cel. De reden (welke regel, primair of secundair) wordt niet gepubliceerd: die vertelde een aanvaller dat een cel klein was of dat een regel voor gevoelige vragen gold. / SDMX CONF_STATUS: F free; C confidential, suppressed to protect respondents, one code for every suppressed cell. The reason (which rule, primary or secondary) is not published: it told an attacker that a cell was small or that a rule for sensitive questions fired.';
