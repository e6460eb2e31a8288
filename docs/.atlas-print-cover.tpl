{% raw %}
<div class="atlas-cover">
<p class="atlas-cover__title">Open LLM Atlas</p>
<p class="atlas-cover__lead">A sourced reference of open-weight language models — sizes, licences, context, hardware needs.</p>
<table>
<tr><td>Catalog edition</td><td>2026-11-23</td></tr>
<tr><td>Version</td><td>0.1.0+62f63bb</td></tr>
<tr><td>Contents</td><td>132 models in 24 families, under 20 licences; 2 stored benchmark runs</td></tr>
<tr><td>Online</td><td><a href="https://open-llm-atlas.github.io/atlas/">https://open-llm-atlas.github.io/atlas/</a></td></tr>
<tr><td>Sources</td><td>Every fact links to the source it was taken from; unknown facts say so.</td></tr>
<tr><td>Licence</td><td>Catalog facts link to their sources. Site content CC BY 4.0.</td></tr>
</table>
</div>
{% endraw %}
