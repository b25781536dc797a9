// A flat colour: backgrounds, tile fills, slates, plates behind text.
precision mediump float;
uniform vec4 u_colour;

void main()
{
    gl_FragColor = u_colour;
}
