// MJML sources the template tests share.
export const WELCOME_MJML = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-image src="https://cdn.example.com/logo.png" alt="Example Shop" href="https://shop.example.com/"></mj-image>
        <mj-text>
          <h1>Hello {{ contact.first_name | default: "there" }}!</h1>
          <p>Your tier: {{ contact.attributes.tier | upcase }}. We picked these for you &amp; yours.</p>
        </mj-text>
        <mj-button href="https://shop.example.com/new?ref=mail&amp;x=1">See what's new</mj-button>
      </mj-column>
    </mj-section>
    {% if contact.personas contains "vip" %}
    <mj-section>
      <mj-column>
        <mj-text>VIP corner: early access for you, {{ contact.first_name }}.</mj-text>
      </mj-column>
    </mj-section>
    {% endif %}
    <mj-section>
      <mj-column>
        {% for r in recommendations %}
        <mj-text><a href="{{ r.url }}">{{ r.name }}</a></mj-text>
        {% endfor %}
        <mj-text font-size="11px">No longer interested? <a href="{{ unsubscribe_url }}">Unsubscribe</a>.</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

export const WELCOME = {
  subject: '{{ contact.first_name | default: "Friend" }}, new arrivals for {{ workspace.name }}',
  preheader: 'Picked for {{ contact.attributes.tier | default: "you" }}',
  mjml: WELCOME_MJML,
};
