from django.contrib import admin

from tendik.indicators.models import Indicator, Observation, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "unit", "desired"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]
    list_filter = ["unit", "desired", "directions"]
    filter_horizontal = ["directions", "measures"]
    inlines = [TargetInline]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "region", "disability_group", "sex", "value",
                    "status"]
    list_filter = ["indicator", "year", "status", "disability_group"]
    autocomplete_fields = ["indicator", "region"]
